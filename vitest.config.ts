import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two files at a time on two cores: each storage file has its own Azurite and host, and most of
    // an end-to-end test is waiting on replication cycles and job steps.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globals: false,
    projects: [
      { extends: true, test: { name: 'pure', include: ['test/unit/**/*.test.ts', 'test/workflow/**/*.test.ts'] } },
      { extends: true, test: { name: 'storage', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'], setupFiles: ['test/setup/fileAzurite.ts'] } },
    ],
  },
});
