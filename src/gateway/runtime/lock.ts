import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { healthAnswers, isAlive, lockPath, readLock, type GatewayLock } from '../../shared/node/index.js';

// The lock's format and its readers are shared with the CLI and the extension (src/shared/node);
// taking, rewriting and releasing it is the daemon's alone.
export { healthAnswers, isAlive, lockPath, readLock, type GatewayLock };

/**
 * How long a live holder that does not answer yet is given to finish starting (ms). A gateway
 * takes the lock first and listens only after loading its config and reaping orphans: a second
 * start in that window took the lock of a gateway that was about to answer, and then deleted it
 * (a chaos trial: the running gateway was invisible to `status` and `stop`).
 */
export const STARTING_GRACE_MS = 20_000;

/** How often a starting holder is asked again (ms). */
const POLL_MS = 100;

/**
 * Takes the lock atomically. A lock whose pid is dead is stale and taken over; one whose live
 * holder answers health makes this throw with where that gateway is; a live holder that does not
 * answer yet is waited for (`graceMs`), and taken over only if it never does (hung, or a reused pid).
 * @throws Error `EGATEWAYRUNNING` (with `lock`) when another gateway runs on this data dir
 */
export async function acquireLock(dataDir: string, lock: GatewayLock, graceMs = STARTING_GRACE_MS): Promise<void> {
  const file = lockPath(dataDir);
  const deadline = Date.now() + graceMs;
  for (let stale = 0; stale < 3;) {
    try {
      writeFileSync(file, JSON.stringify(lock), { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = readLock(dataDir);
    if (held && held.pid !== process.pid && isAlive(held.pid)) {
      if (await healthAnswers(held.port)) {
        throw Object.assign(new Error(`another MCPlexer gateway (pid ${held.pid}) already runs at http://127.0.0.1:${held.port} with data dir ${dataDir}`), {
          code: 'EGATEWAYRUNNING',
          lock: held,
        });
      }
      if (Date.now() < deadline) {
        await sleep(POLL_MS); // still starting, perhaps: ask again
        continue;
      }
    }
    // Only the lock judged stale goes: one another start wrote meanwhile is looked at again.
    const now = readLock(dataDir);
    if (now?.pid === held?.pid && now?.startedAt === held?.startedAt) rmSync(file, { force: true });
    stale += 1;
  }
  throw new Error(`could not take ${file}`);
}

/** Rewrites the lock once the real port is known: whole or not at all (a reader never sees it half written). */
export function updateLock(dataDir: string, lock: GatewayLock): void {
  const file = lockPath(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(lock), { mode: 0o600 });
  renameSync(temp, file);
}

export function releaseLock(dataDir: string): void {
  const held = readLock(dataDir);
  if (!held || held.pid === process.pid) rmSync(lockPath(dataDir), { force: true });
}
