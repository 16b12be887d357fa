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
    // Tests and their fakes read wire JSON and parsed templates whose shape the assertions
    // themselves check; typing every fixture would add casts, not safety. The promise rules,
    // which catch the bugs that matter in async test code, stay on.
    files: ['**/*.test.ts', 'action/test-support/**', 'action/e2e/**', 'action/bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // A fake implements an async interface with values it already has.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The fake AWS evaluates template values (intrinsics, wire input) into strings the way
    // CloudFormation does; a map where a string belongs is the template's bug, which the
    // CloudFormation spec tests catch before the fake ever sees it.
    files: ['action/test-support/fake-aws/**', 'action/test-support/cfn-references.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
);
