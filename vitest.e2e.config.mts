import { defineConfig } from 'vitest/config';

// The end-to-end suite (npm run test:e2e): real code-server and Chromium, so one file at a time and
// generous timeouts; `npm test` (vitest.config.mts) never includes these files.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
