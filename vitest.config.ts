import { defineConfig } from 'vitest/config';

/**
 * One Vitest run for the whole workspace. Integration tests read the broker address that
 * scripts/test.ts exports (see scripts/testing/kafka.ts), so the broker starts once per run.
 */
export default defineConfig({
  test: {
    globalSetup: ['scripts/testing/kafka-global-setup.ts'],
    include: ['{shared,collector,scripts,deploy}/**/*.test.ts', 'site/{src,scripts,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.tools/**', 'site/.live/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
