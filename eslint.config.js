// Type-aware linting: the rules that need TypeScript's checker (floating promises, awaiting a
// non-promise, unsafe `any` flows) catch real bugs in async deploy code that syntax rules cannot.
// Formatting is prettier's job alone, so no stylistic rule lives here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'cloudformation/', 'coverage/', 'rendered/', '**/node_modules/', 'sample-api/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
