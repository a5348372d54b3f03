import { readFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'gateway.lock';

/**
 * `<dataDir>/gateway.lock` (JSON, mode 0600, created atomically by the daemon): who holds the data
 * dir, where it listens, and the YAML file it runs with. One definition for the daemon that writes
 * it (src/gateway/runtime) and the CLI and the extension that read it.
 */
export interface GatewayLock {
  pid: number;
  /** The port on 127.0.0.1 (rewritten once the daemon listens: 0 never stays). */
  port: number;
  /** The daemon's version (package.json's). */
  version: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** Absolute path of the `--config` YAML file, when it has one. */
  configFile?: string;
}

/**
 * How long a starting gateway waits for a live lock holder that does not answer health before it
 * takes the lock over (ms). A gateway takes the lock first and listens only after loading its
 * config and reaping orphans: a second start in that window took the lock of a gateway that was
 * about to answer (a chaos trial). Whoever starts a gateway waits longer than this for it.
 */
export const STARTING_GRACE_MS = 20_000;

export function lockPath(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE);
}

/** The lock of a data dir, or undefined when there is none or it is not one (a torn or foreign file). */
export function readLock(dataDir: string): GatewayLock | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(lockPath(dataDir), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
  const lock = raw as Partial<GatewayLock> | null;
  return lock && typeof lock.pid === 'number' && typeof lock.port === 'number' ? (lock as GatewayLock) : undefined;
}

/**
 * Whether a process with this pid runs (EPERM: it runs under another user). A zombie (ended, not
 * yet reaped by its parent) answers `kill(pid, 0)` too: on Linux its `/proc/<pid>/stat` state `Z`
 * says it is gone (a daemon killed with SIGKILL looked alive to the editor until its starter reaped it).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return true; // no /proc (macOS, Windows): kill(0) has the last word
  }
}

/** Whether a gateway answers health on that port of 127.0.0.1 within `timeoutMs` (a lock's pid may have been reused). */
export async function healthAnswers(port: number, timeoutMs = 1500): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false; // refused, reset or timed out: nobody answers there
  }
}
