import { defineConfig } from 'vitest/config';

/**
 * One Vitest run for the whole workspace. The global setup starts one real Kafka broker per
 * run and provides its address to the integration tests (see testing/src/kafka.ts).
 */
export default defineConfig({
  test: {
    globalSetup: ['deploy/kafka/global-setup.ts'],
    include: ['{shared,collector,testing,scripts,deploy,bench}/**/*.test.ts', 'site/{src,scripts,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.tools/**', 'site/.live/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
