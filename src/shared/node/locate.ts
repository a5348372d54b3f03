// STAND-IN (E3, issue 16): the smallest version of E1's module at the contract's path; E1's replaces it at merge.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readLock, type GatewayLock } from './lock.js';

export interface GatewayAddress {
  url: string;
  token: string;
  lock: GatewayLock;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1500) })).ok;
  } catch {
    return false;
  }
}

/** The gateway of this data dir through its lock and health, or undefined (no lock, dead pid, no answer). */
export async function locateGateway(options: { dataDir: string }): Promise<GatewayAddress | undefined> {
  const lock = readLock(options.dataDir);
  if (!lock || !alive(lock.pid)) return undefined;
  const url = `http://127.0.0.1:${lock.port}`;
  if (!(await answers(url))) return undefined;
  const token = readFileSync(path.join(options.dataDir, 'api-token'), 'utf8').trim();
  return { url, token, lock };
}

export interface LocateOrStartOptions {
  dataDir: string;
  cliPath: string;
  /** The runtime that runs `cliPath`; not plain node (e.g. VS Code's) → `ELECTRON_RUN_AS_NODE=1`. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra arguments after `serve --home <dataDir>`. */
  args?: string[];
  timeoutMs?: number;
}

/**
 * The running gateway, or one started detached (`execPath cliPath serve --home <dataDir> …args`,
 * output to `<dataDir>/gateway.log`) once it answers health.
 * @throws Error naming the log when it exits first or does not answer within `timeoutMs` (15 s).
 */
export async function locateOrStartGateway(options: LocateOrStartOptions): Promise<GatewayAddress & { started: boolean }> {
  const found = await locateGateway(options);
  if (found) return { ...found, started: false };
  const execPath = options.execPath ?? process.execPath;
  const env = { ...(options.env ?? process.env) };
  if (!/^node(\.exe)?$/i.test(path.basename(execPath))) env.ELECTRON_RUN_AS_NODE = '1';
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(options.dataDir, 'gateway.log');
  const log = openSync(logFile, 'a', 0o600);
  const child = spawn(execPath, [options.cliPath, 'serve', '--home', options.dataDir, ...(options.args ?? [])], {
    detached: true,
    stdio: ['ignore', log, log],
    env,
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = await locateGateway(options);
    if (started) return { ...started, started: true };
    if (exited !== undefined && readLock(options.dataDir) === undefined)
      throw new Error(`the MCPlexer gateway exited (code ${exited}) before it answered; see ${logFile}`);
  }
  throw new Error(`the MCPlexer gateway did not answer within ${(options.timeoutMs ?? 15_000) / 1000} s; see ${logFile}`);
}
