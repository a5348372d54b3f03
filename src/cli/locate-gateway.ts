import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { healthAnswers, isAlive, readLock } from '../gateway/index.js';

export interface GatewayAddress {
  url: string;
  token: string;
}

const STARTUP_WAIT_MS = 15_000;

function readToken(dataDir: string): string {
  return readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
}

async function running(dataDir: string): Promise<GatewayAddress | undefined> {
  const lock = readLock(dataDir);
  if (!lock || !isAlive(lock.pid) || !(await healthAnswers(lock.port))) return undefined;
  return { url: `http://127.0.0.1:${lock.port}`, token: readToken(dataDir) };
}

/**
 * Finds the gateway of this data dir through `gateway.lock`, or starts one detached (its log goes
 * to `<dataDir>/gateway.log`) and waits until it answers.
 */
export async function locateOrStartGateway(dataDir: string, cliPath: string): Promise<GatewayAddress> {
  const found = await running(dataDir);
  if (found) return found;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = openSync(path.join(dataDir, 'gateway.log'), 'a', 0o600);
  const child = spawn(process.execPath, [cliPath, 'serve', '--home', dataDir], {
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
  });
  child.unref();
  const deadline = Date.now() + STARTUP_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = await running(dataDir);
    if (started) return started;
  }
  throw new Error(`the MCPlexer gateway did not start within ${STARTUP_WAIT_MS / 1000} s; see ${path.join(dataDir, 'gateway.log')}`);
}
