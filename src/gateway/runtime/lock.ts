import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'gateway.lock';

/** `gateway.lock`: who holds the data dir, where it listens, and the YAML file it runs with. */
export interface GatewayLock {
  pid: number;
  port: number;
  version: string;
  startedAt: string;
  /** Absolute path of the `--config` YAML file, when it has one. */
  configFile?: string;
}

export function lockPath(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE);
}

export function readLock(dataDir: string): GatewayLock | undefined {
  try {
    const lock = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as GatewayLock;
    return typeof lock.pid === 'number' && typeof lock.port === 'number' ? lock : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Answers whether a gateway answers health on that port (a lock's pid may have been reused). */
export async function healthAnswers(port: number, timeoutMs = 1500): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

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
