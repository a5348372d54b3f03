import { defineConfig } from 'vitest/config';

// The load and fault suite (npm run test:load): thousands of calls, chaos downstreams, kill -9 and
// abandoned sessions against the real gateway, so one file at a time (each file loads both cores)
// and long timeouts. `LOAD_PROFILE=short` (what .ci/run uses) scales each case down; `npm test`
// (vitest.config.mts) never includes these files. No case asserts a time: only outcomes.
export default defineConfig({
  test: {
    include: ['test/load/**/*.load.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
  define: { __MCPLEXER_VERSION__: JSON.stringify('0.0.0-test') },
});
