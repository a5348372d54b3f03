// Guarantees: `npm run test:e2e` installs what the end-to-end suite needs (scripts/e2e-setup.mjs:
// Debian's Chromium and friends, code-server under .e2e/), runs the suite once with
// vitest.e2e.config.mts (real code-server driven through Chromium, one file at a time), and ends
// with the plain line `N passed, N failed`, exiting non-zero on any failure. Arguments go to vitest.
// Screenshots are left in .e2e/artifacts/.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVitest } from './vitest-summary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const setupStart = Date.now();
const setup = spawnSync(process.execPath, ['scripts/e2e-setup.mjs'], { stdio: 'inherit', cwd: root, env });
if (setup.status !== 0) {
  console.log('e2e setup failed (see above)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const suiteStart = Date.now();
const { passed, failed, ok } = runVitest(['--config', 'vitest.e2e.config.mts', ...process.argv.slice(2)], env);
console.log(`e2e: setup ${seconds(suiteStart - setupStart)}, suite ${seconds(Date.now() - suiteStart)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
