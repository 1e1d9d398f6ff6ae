import { defineConfig } from 'vitest/config';

/**
 * One Vitest run for the whole workspace. The global setup starts one real Kafka broker per
 * run and provides its address to the integration tests (see testing/src/kafka.ts). The setup
 * file removes each test file's temp dirs (testing/src/temp-dir.ts) when the file ends.
 */
export default defineConfig({
  test: {
    globalSetup: ['deploy/kafka/global-setup.ts'],
    setupFiles: ['testing/src/temp-dir-setup.ts'],
    include: ['{shared,collector,testing,scripts,deploy,bench}/**/*.test.ts', 'site/{src,scripts,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '.tools/**', 'site/.live/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
