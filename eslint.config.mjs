// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The demo page's script is plain browser JavaScript, served as is: linted, without type information.
const DEMO_PAGE_SCRIPTS = 'apps/signal/src/demo/page/*.js';

// Each module of apps/signal/src keeps its insides private: other code imports only the files
// listed here (the module itself and what it offers others). `kafka` and `cli` offer an index.ts.
// A new cross-module import means growing a module's surface here, on purpose.
const MODULE_SURFACES = {
  kafka: ['index'],
  cli: ['index'],
  auth: [
    'auth.module',
    'api-key.guard',
    'user-jwt.guard',
    'user-principal',
    'api-keys',
    'user-token.verifier',
  ],
  config: ['signal-config', 'signal-config.module'],
  demo: ['demo.module'],
  health: ['health.module'],
  'kafka-notification': ['kafka-notification.module', 'templates/activity-templates'],
  'legacy-rabbit': ['legacy-rabbit-adapter.module', 'safe-link'],
  logging: [
    'logging.module',
    'signal-logger.options',
    'http-request-logging.hook',
    'process-warnings',
    'correlation-context',
  ],
  metrics: ['metrics.module', 'http-metrics.hooks', 'signal-metrics'],
  'phx-push/admin': ['phx-admin.module'],
  'phx-push/channels': [
    'phx-channels.module',
    'channel-sender',
    'channel-failure',
    'email-sender',
    'push-provider',
    'send-time',
  ],
  'phx-push/consumer': ['phx-consumer.module'],
  'phx-push/notification-center': ['notification-center.module'],
  'phx-push/producer': ['phx-producer.module'],
  'signal-gateway': [
    'signal-gateway.module',
    'notification-payloads',
    'socket/notification-socket-event.service',
    'socket/redis-io.adapter',
    'socket/socket-redis.connection',
    'inbox/inbox.responses',
  ],
};
const MODULES = Object.keys(MODULE_SURFACES);
// Tests and benches may reach into a module to test it; they still go through kafka's and cli's index.
const INDEXED_MODULES = ['kafka', 'cli'];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A module's insides as an import path spells them: `prefix` (a regex), then `spelled`/…. */
function privatePattern(module, prefix, spelled = module) {
  const surface = MODULE_SURFACES[module].map(escape).join('|');
  return {
    regex: `${prefix}${escape(spelled)}/(?!(${surface})$)`,
    message: `Import apps/signal/src/${module} through ${MODULE_SURFACES[module].join(', ')}: the rest of it is private.`,
  };
}

/**
 * `no-restricted-imports` for the insides of `modules`: `./kafka/x` from src/, `../../kafka/x` from
 * a module, `../../apps/signal/src/kafka/x` from test/; from inside `parent` (phx-push), its other
 * modules as `../channels/x` too.
 */
function privateInsidesOf(modules, parent) {
  const patterns = modules.map((module) =>
    privatePattern(module, '^(\\.\\.?/)+(apps/signal/src/)?'),
  );
  for (const module of modules) {
    if (parent && module.startsWith(`${parent}/`)) {
      patterns.push(privatePattern(module, '^\\.\\./', module.slice(parent.length + 1)));
    }
  }
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'libs/*/dist/**',
      'node_modules/**',
      'coverage/**',
      '.cache/**',
      '**/*.js',
      `!${DEMO_PAGE_SCRIPTS}`,
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/**/*.ts'],
    rules: privateInsidesOf(MODULES),
  },
  ...MODULES.map((module) => ({
    files: [`apps/signal/src/${module}/**/*.ts`],
    rules: privateInsidesOf(
      MODULES.filter((other) => other !== module),
      module.includes('/') ? module.split('/')[0] : undefined,
    ),
  })),
  {
    files: ['{test,bench,scripts}/**/*.ts'],
    rules: privateInsidesOf(INDEXED_MODULES),
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: [DEMO_PAGE_SCRIPTS],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'script',
      // The browser's, as the script uses them (`globals` is no dependency of ours), and `io`
      // from /socket.io/socket.io.js, loaded before it.
      globals: {
        document: 'readonly',
        fetch: 'readonly',
        FormData: 'readonly',
        CSS: 'readonly',
        io: 'readonly',
      },
    },
  },
);
