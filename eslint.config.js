// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';

export default tseslint.config(
  {
    ignores: ['**/node_modules/', '**/dist/', '**/.astro/', 'site/.live/', '.tools/', '.data/', 'deploy/kafka/lib/', 'test-results/', 'bench-results/'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The transports sit below both services: they take ports (SinkMetrics, PartitionProcessor),
    // never a service's own types, so either service can change without touching them.
    files: ['collector/src/transport/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/ingest/*', '**/consumer/*'], message: 'transport code depends on ports in transport/, not on a service' }] }],
    },
  },
);
