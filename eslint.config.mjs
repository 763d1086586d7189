// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The demo page's script is plain browser JavaScript, served as is: linted, without type information.
const DEMO_PAGE_SCRIPTS = 'apps/signal/src/demo/page/*.js';

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
