// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The demo page's script is plain browser JavaScript, served as is: linted, without type information.
const DEMO_PAGE_SCRIPTS = 'apps/signal/src/demo/page/*.js';

// Folders of apps/signal/src whose insides are private: any other code imports one through its
// index.ts (`../kafka`), never a file in it (`../kafka/kafka-client`). A feature joins the list
// once it has an index.ts that its importers use.
const PRIVATE_FEATURES = ['kafka', 'cli'];

/** `no-restricted-imports` for every feature of `features`: through its index only. */
function importedThroughIndex(features) {
  const patterns = features.map((feature) => ({
    // `./kafka/x` from src/, `../../kafka/x` from a feature, `../../apps/signal/src/kafka/x` from test/.
    regex: `^(\\.\\.?/)+(apps/signal/src/)?${feature}/(?!index$)`,
    message: `Import apps/signal/src/${feature} through its index.ts: the rest of it is private.`,
  }));
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
    files: ['{apps,test,bench,scripts}/**/*.ts'],
    rules: importedThroughIndex(PRIVATE_FEATURES),
  },
  ...PRIVATE_FEATURES.map((feature) => ({
    files: [`apps/signal/src/${feature}/**/*.ts`],
    rules: importedThroughIndex(PRIVATE_FEATURES.filter((other) => other !== feature)),
  })),
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
