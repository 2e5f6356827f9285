import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/setup/azurite.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globals: false,
    projects: [
      { extends: true, test: { name: 'pure', include: ['test/unit/**/*.test.ts', 'test/workflow/**/*.test.ts'] } },
      // Each file that talks to storage gets an Azurite of its own.
      { extends: true, test: { name: 'storage', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'], setupFiles: ['test/setup/fileAzurite.ts'] } },
    ],
  },
});
