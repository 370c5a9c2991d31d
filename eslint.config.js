import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.dist*/**', 'dist/', 'node_modules/', 'bench/data/', 'coverage/'] },
  js.configs.recommended,
  {
    files: ['bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A promise left unawaited: in a test it asserts nothing (the command line runs in-process, async); in src it loses an error.
    files: ['test/**/*.ts', 'src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/await-thenable': 'error' },
  },
  {
    // Money is exact: binary-float helpers are banned outside the money module.
    files: ['src/**/*.ts'],
    ignores: ['src/money/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is exact: use src/money.' },
        { selector: "CallExpression[callee.property.name='toFixed']", message: 'Money is exact: use src/money.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='round']", message: 'Use src/money rounding.' },
      ],
    },
  },
  {
    // Only the CLI layer talks to the console.
    files: ['src/engine/**/*.ts', 'src/campaign/**/*.ts', 'src/money/**/*.ts', 'src/input/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
