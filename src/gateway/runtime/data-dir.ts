import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDir, TOKEN_FILE } from '../../shared/node/index.js';

// The default (MCPLEXER_HOME, else ~/.mcplexer) and the token file's name are shared with the CLI and the extension.
export { defaultDataDir };

export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Reads `<dataDir>/api-token`, generating it (mode 0600) on first start. */
export function loadOrCreateToken(dir: string): string {
  const file = path.join(dir, TOKEN_FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
