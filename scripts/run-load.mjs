// Guarantees: `npm run test:load` builds the CLI bundle (the suite spawns dist/cli.js), runs the load
// and fault suite once with vitest.load.config.mts, and ends with the plain line `N passed, N failed`,
// exiting non-zero on any failure. `--short` sets LOAD_PROFILE=short (the scaled-down form .ci/run
// runs); other arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { runVitest } from './vitest-summary.mjs';

const args = process.argv.slice(2);
const short = args.includes('--short');
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', LOAD_PROFILE: short ? 'short' : (process.env.LOAD_PROFILE ?? 'full') };
const build = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit', env });
if (build.status !== 0) {
  console.log('build failed (see above)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const started = Date.now();
const { passed, failed, ok } = runVitest(['--config', 'vitest.load.config.mts', ...args.filter((a) => a !== '--short')], env);
console.log(`load (${env.LOAD_PROFILE}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
