// Runs vitest once with its JSON reporter next to the default one and counts the results, so that
// scripts/run-tests.mjs and scripts/run-e2e.mjs end with the same plain "N passed, N failed" line CI reads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `vitest run <args>` and returns `{ passed, failed, ok }`: failed counts failed tests, runtime
 * errors, a file that failed before running any test, and errors outside any test (an unhandled
 * rejection), each saying so on the console.
 */
export function runVitest(args, env) {
  const dir = mkdtempSync(join(tmpdir(), 'mcplexer-test-report-'));
  const report = join(dir, 'report.json');
  const vitest = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
    {
      stdio: 'inherit',
      env,
    },
  );
  let passed = 0;
  let failed = 0;
  try {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    passed = result.numPassedTests;
    failed = result.numFailedTests + (result.numRuntimeErrors ?? 0);
    if (result.testResults.some((file) => file.status === 'failed' && file.assertionResults.length === 0)) failed += 1;
  } catch (error) {
    console.error(`could not read the vitest report: ${error.message}`);
    failed += 1;
  }
  rmSync(dir, { recursive: true, force: true });
  // vitest also fails a run on errors outside any test (an unhandled rejection): count those too.
  if (vitest.status !== 0 && failed === 0) {
    console.log('vitest reported errors outside the tests (see above)');
    failed = 1;
  }
  return { passed, failed, ok: vitest.status === 0 && failed === 0 };
}
