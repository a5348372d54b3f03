// Extension activation time in real VS Code: runs test/e2e/activation.e2e.test.ts (code-server
// 4.103.2 with `npm run package`'s .vsix; it reads the `activate() returned in N ms` line of the
// extension's LogOutputChannel and writes .e2e/artifacts/activation.json), bounded by a deadline.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnGroup, stopGroup, withTimeout } from './proc.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const ARTIFACT = path.join(process.env.MCPLEXER_E2E_ARTIFACTS ?? path.join(ROOT, '.e2e', 'artifacts'), 'activation.json');
export const ACTIVATION_GOAL_MS = 100;

/**
 * @returns {Promise<{ activate_ms: number, vscode: string, goal_ms: number }>} what the e2e file measured.
 * @throws Error when the setup or the e2e file fails, or after `budgetMs`.
 */
export async function measureActivation({ budgetMs = 10 * 60_000, log = () => undefined } = {}) {
  rmSync(ARTIFACT, { force: true });
  log('vscode: e2e setup, then test/e2e/activation.e2e.test.ts (packages the .vsix, starts code-server)');
  const run = async (args, what) => {
    const child = spawnGroup(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-8192);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const code = await withTimeout(new Promise((resolve) => child.once('exit', resolve)), budgetMs, what).finally(() => stopGroup(child.pid, 5000));
    if (code !== 0) throw new Error(`${what} exited with ${code}:\n${output}`);
  };
  await run([path.join(ROOT, 'scripts/e2e-setup.mjs')], 'e2e setup');
  const vitest = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
  await run([vitest, 'run', '-c', 'vitest.e2e.config.mts', 'test/e2e/activation.e2e.test.ts'], 'activation e2e');
  if (!existsSync(ARTIFACT)) throw new Error(`the activation e2e passed but wrote no ${ARTIFACT}`);
  return { ...JSON.parse(readFileSync(ARTIFACT, 'utf8')), goal_ms: ACTIVATION_GOAL_MS };
}

export const activationLine = (a) =>
  `extension activate() in VS Code ${a.vscode}: ${a.activate_ms.toFixed(1)} ms (synchronous part; the attach runs after it); goal ≤ ${a.goal_ms} ms`;
