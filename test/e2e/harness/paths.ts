import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is test/e2e/harness/paths.ts). */
export const ROOT = path.resolve(__dirname, '../../..');

/** code-server's entry script, installed by scripts/e2e-setup.mjs; run with the Node that runs the tests. */
export const CODE_SERVER_ENTRY = path.join(ROOT, '.e2e', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Debian's Chromium, installed by scripts/e2e-setup.mjs (playwright-core brings no browser). */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots and other files worth keeping after a run (git-ignored; CI keeps them as artifacts). */
export const ARTIFACTS_DIR = process.env.MCPLEXER_E2E_ARTIFACTS ?? path.join(ROOT, '.e2e', 'artifacts');

/** Where packaged .vsix files go (git-ignored). */
export const VSIX_DIR = path.join(ROOT, '.e2e', 'vsix');

/**
 * Fails early with the command that fixes it when the setup has not run.
 * @throws Error naming `node scripts/e2e-setup.mjs` when code-server or Chromium is missing.
 */
export function assertInstalled(): void {
  for (const file of [CODE_SERVER_ENTRY, CHROMIUM]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`node scripts/e2e-setup.mjs\` (npm run test:e2e runs it first)`);
  }
}
