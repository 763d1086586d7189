/**
 * Three tiers: unit specs beside the code; under test/, `medium` (one repository, service or
 * transport against the real service) and `e2e` (the whole app against the real stack).
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const esmOnlyPackages = [
  '@nestjs/[^/]+',
  '@platformatic/[^/]+',
  'content-disposition',
  'htmlparser2',
  'domhandler',
  'domutils',
  'dom-serializer',
  'domelementtype',
  'entities',
];
const esmOnlyFiles = `/node_modules/(${esmOnlyPackages.join('|')})/.+\\.m?js$`;

const shared = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // Packages that ship ES modules only: see the transformer.
    [esmOnlyFiles]: '<rootDir>/test/support/esm-package.transformer.js',
  },
  // A file belongs to the package after its last node_modules/ (nested copies included).
  transformIgnorePatterns: [
    `/node_modules/(?!(${esmOnlyPackages.join('|')})/)(?!.*/node_modules/)`,
  ],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  // Build output (the app's bundle, the libraries' dist) is neither a test nor a module to map.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/[^/]+/dist/'],
};

module.exports = {
  // Real Kafka, AMQP and Redis clients keep reconnect timers; a file that forgets one must not
  // hang CI after every test has passed.
  forceExit: true,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...shared,
      // One repository, service or transport against the real service it talks to, without the app.
      displayName: 'medium',
      testMatch: ['<rootDir>/test/medium/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration.setup.ts'],
    },
    {
      ...shared,
      // The app, in process or as a spawned process, against the real stack.
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/integration.setup.ts'],
    },
  ],
};
