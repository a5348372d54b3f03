import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError } from '../errors.js';
import { healthAnswers, isAlive, lockPath, readLock, STARTING_GRACE_MS, type GatewayLock } from '../../shared/node/index.js';

// The lock's format and its readers are shared with the CLI and the extension (src/shared/node);
// taking, rewriting and releasing it is the daemon's alone.
export { healthAnswers, isAlive, lockPath, readLock, STARTING_GRACE_MS, type GatewayLock };

/** How often a starting holder is asked again (ms). */
const POLL_MS = 100;

/**
 * Takes the lock atomically. A lock whose pid is dead is stale and taken over; one whose live
 * holder answers health makes this throw with where that gateway is; a live holder that does not
 * answer yet is waited for (`graceMs`), and taken over only if it never does (hung, stopped with
 * SIGSTOP, or a reused pid).
 * @returns the lock taken over from a live holder (to put back if this start fails:
 *   `releaseLock`), else undefined
 * @throws Error `EGATEWAYRUNNING` (with `lock`) when another gateway runs on this data dir
 */
export async function acquireLock(dataDir: string, lock: GatewayLock, graceMs = STARTING_GRACE_MS): Promise<GatewayLock | undefined> {
  const file = lockPath(dataDir);
  const deadline = Date.now() + graceMs;
  let displaced: GatewayLock | undefined;
  for (let stale = 0; stale < 3;) {
    try {
      writeFileSync(file, JSON.stringify(lock), { flag: 'wx', mode: 0o600 });
      return displaced;
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
    if (now?.pid === held?.pid && now?.startedAt === held?.startedAt) {
      rmSync(file, { force: true });
      displaced = held && isAlive(held.pid) ? held : undefined;
    }
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

/**
 * Removes this gateway's lock. `restore` (what `acquireLock` took over from a live holder) is put
 * back instead when its holder still runs: a start that took the lock of a gateway stopped with
 * SIGSTOP, then failed on the port that gateway still held, deleted the lock, and the gateway,
 * resumed, served on without one, unseen by the editor, `status` and `stop` (a trial).
 */
export function releaseLock(dataDir: string, restore?: GatewayLock): void {
  const held = readLock(dataDir);
  if (held && held.pid !== process.pid) return;
  if (restore && isAlive(restore.pid)) updateLock(dataDir, restore);
  else rmSync(lockPath(dataDir), { force: true });
}

/**
 * Why a start failed, when it had taken the lock over from a live gateway that did not answer
 * (`displaced`, still running): that one keeps its lock (`releaseLock`), and what to do comes
 * first (it usually still holds the port, so the start failed there: "port … is in use by … pid
 * N"). Otherwise `cause` itself.
 */
export function silentHolderError(displaced: GatewayLock | undefined, cause: unknown): unknown {
  if (!displaced || !isAlive(displaced.pid)) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new GatewayError(
    'conflict',
    `the gateway of this data dir (pid ${displaced.pid}, port ${displaced.port}) still runs but has not answered health for ${STARTING_GRACE_MS / 1000} s ` +
      `(stopped or hung); it keeps gateway.lock. End it (kill ${displaced.pid}, or kill -9 ${displaced.pid} if it stays), then start again. This start failed: ${reason}`,
    { cause },
  );
}
