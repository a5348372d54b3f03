import { rmSync, writeFileSync } from 'node:fs';
import { healthAnswers, isAlive, lockPath, readLock, type GatewayLock } from '../../shared/node/index.js';

// The lock's format and its readers are shared with the CLI and the extension (src/shared/node);
// taking, rewriting and releasing it is the daemon's alone.
export { healthAnswers, isAlive, lockPath, readLock, type GatewayLock };

/**
 * Takes the lock atomically. A lock whose pid is dead, or whose gateway does not answer, is stale
 * and taken over; a live one makes this throw with where that gateway is.
 */
export async function acquireLock(dataDir: string, lock: GatewayLock): Promise<void> {
  const file = lockPath(dataDir);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(file, JSON.stringify(lock), { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = readLock(dataDir);
    if (held && held.pid !== process.pid && isAlive(held.pid) && (await healthAnswers(held.port))) {
      throw Object.assign(new Error(`another MCPlexer gateway (pid ${held.pid}) already runs at http://127.0.0.1:${held.port} with data dir ${dataDir}`), {
        code: 'EGATEWAYRUNNING',
        lock: held,
      });
    }
    rmSync(file, { force: true });
  }
  throw new Error(`could not take ${file}`);
}

/** Rewrites the lock once the real port is known. */
export function updateLock(dataDir: string, lock: GatewayLock): void {
  writeFileSync(lockPath(dataDir), JSON.stringify(lock), { mode: 0o600 });
}

export function releaseLock(dataDir: string): void {
  const held = readLock(dataDir);
  if (!held || held.pid === process.pid) rmSync(lockPath(dataDir), { force: true });
}
