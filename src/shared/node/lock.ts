// STAND-IN (E3, issue 16): the smallest version of E1's module at the contract's path; E1's replaces it at merge.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** `gateway.lock`: who holds the data dir and where it listens. */
export interface GatewayLock {
  pid: number;
  port: number;
  version: string;
  startedAt: string;
  configFile?: string;
}

export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'gateway.lock');
}

/** The lock of this data dir, or undefined when there is none or it cannot be read as one. */
export function readLock(dataDir: string): GatewayLock | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const lock = JSON.parse(text) as GatewayLock;
    return typeof lock.pid === 'number' && typeof lock.port === 'number' ? lock : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined; // half-written by a gateway starting right now
    throw error;
  }
}
