// Type-checks, checks the formatting, builds the CLI bundle (integration tests spawn it), runs vitest once with its JSON
// reporter next to the default one, and ends with the plain "N passed, N failed" line CI reads.
import { spawnSync } from 'node:child_process';
import { runVitest } from './vitest-summary.mjs';

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

const { passed, failed, ok } = runVitest(process.argv.slice(2), env);
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
