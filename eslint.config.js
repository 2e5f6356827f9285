// ESLint for the whole project: typescript-eslint's type-checked rules over the app, the local host,
// scripts, benchmarks and tests, plus the rules the codebase lives by.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.azurite/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']", message: 'No `as unknown as`: validate the value or fix the types.' },
      ],
    },
  },
  {
    // The web console is browser code with its own compiler settings (DOM, JSX for Preact).
    files: ['portal/src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { project: ['./portal/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/shared/**', '**/host/**', '**/functions/**', '**/cli/**', '**/scripts/**'], message: 'The web console speaks only the public API: no import of the app itself.' }] },
      ],
    },
  },
  {
    files: ['cli/**/*.ts', 'examples/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/shared/**', '**/host/**', '**/functions/**'], message: 'The CLI and the examples speak only the public API: no import of the app itself.' }] }],
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@azure/*', 'node:*'], message: 'shared/domain is pure: no I/O, no SDK.' }] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/appDeps.ts', 'shared/tracing/startTracing.ts', 'shared/tracing/fileSpanExporter.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/appDeps.js'], message: 'Only functions/ build the process dependencies; shared/ is handed them.' },
            { group: ['@opentelemetry/sdk-*', '@opentelemetry/context-*', '@azure/monitor-opentelemetry'], message: 'App code traces through @opentelemetry/api; the SDK is set up in shared/tracing/startTracing.ts only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/tracing/startTracing.ts', 'shared/tracing/fileSpanExporter.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/appDeps.js'], message: 'Only functions/ build the process dependencies; shared/ is handed them.' }] }],
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@azure/*', 'node:*', '@opentelemetry/*'], message: 'shared/domain is pure: no I/O, no SDK, no tracing.' },
            { group: ['**/appDeps.js'], message: 'Only functions/ build the process dependencies; shared/ is handed them.' },
          ],
        },
      ],
    },
  },
  {
    // Tests read ARM answers back as raw JSON and match them with vitest's asymmetric matchers (typed any).
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Stubs answer with promises whether or not they wait for anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['eslint.config.js', '.dependency-cruiser.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['.dependency-cruiser.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
);
