import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDir, TOKEN_FILE } from '../../shared/node/index.js';

// The default (MCPLEXER_HOME, else ~/.mcplexer) and the token file's name are shared with the CLI and the extension.
export { defaultDataDir };

export function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    // `--home <a file>` said only "EEXIST: file already exists, mkdir" (a trial).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new Error(`the data dir ${dir} is not a directory (a file is in the way); give --home (or MCPLEXER_HOME) a directory`);
    throw error;
  }
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
