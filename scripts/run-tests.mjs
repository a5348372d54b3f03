// Type-checks, checks the formatting, builds the CLI bundle (integration tests spawn it), runs vitest once with its JSON
// reporter next to the default one, and ends with the plain "N passed, N failed" line CI reads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const typecheck = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit', env });
if (typecheck.status !== 0) {
  console.log('type check failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// The formatter in check mode: a file that Prettier would change fails the run (npm run format fixes it).
const format = spawnSync(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.'], { stdio: 'inherit', env });
if (format.status !== 0) {
  console.log('formatting check failed: run npm run format');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const build = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit', env });
if (build.status !== 0) process.exit(build.status ?? 1);

const dir = mkdtempSync(join(tmpdir(), 'mcplexer-test-report-'));
const report = join(dir, 'report.json');
const vitest = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env },
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
console.log(`${passed} passed, ${failed} failed`);
process.exit(vitest.status !== 0 || failed > 0 ? 1 : 0);
