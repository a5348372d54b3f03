import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { selfCommand } from './self.js';
import { healthAnswers, isAlive, lockPath, readLaunchRecord, readLock, type GatewayLock } from '../gateway/index.js';

export interface GatewayAddress {
  url: string;
  token: string;
  lock: GatewayLock;
}

const STARTUP_WAIT_MS = 15_000;
const LOG_TAIL_LINES = 8;

function readToken(dataDir: string): string {
  return readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
}

/**
 * The gateway of this data dir, found through `gateway.lock`, or why there is none: no lock, or
 * a lock whose pid is gone or whose port does not answer (a stale lock).
 */
export async function findGateway(dataDir: string): Promise<{ address: GatewayAddress } | { missing: string }> {
  const file = lockPath(dataDir);
  const lock = readLock(dataDir);
  if (!lock) return { missing: `no gateway running (looked for ${file})` };
  if (!isAlive(lock.pid)) return { missing: `no gateway running (${file} names pid ${lock.pid}, which is not running)` };
  if (!(await healthAnswers(lock.port)))
    return { missing: `no gateway running (${file} names pid ${lock.pid} on port ${lock.port}, which does not answer health)` };
  return { address: { url: `http://127.0.0.1:${lock.port}`, token: readToken(dataDir), lock } };
}

/**
 * The running gateway.
 * @throws Error "no gateway running (looked for …)" and how to start one (`hint`, after the command) when there is none.
 */
export async function requireGateway(dataDir: string, hint = ''): Promise<GatewayAddress> {
  const found = await findGateway(dataDir);
  if ('address' in found) return found.address;
  throw new Error(`${found.missing}; start one with "${selfCommand()} serve"${hint}`);
}

/**
 * The arguments of `serve` for a gateway started on demand: the YAML config and the port the last
 * gateway of this data dir ran with (`launch.json`), unless the environment sets them.
 */
export function serveArgs(dataDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const args = ['serve', '--home', dataDir];
  const record = readLaunchRecord(dataDir);
  if (record?.config_file && !env.MCPLEXER_CONFIG?.trim()) args.push('--config', record.config_file);
  if (record?.port && !env.MCPLEXER_PORT?.trim()) args.push('--port', String(record.port));
  return args;
}

function logTail(file: string): string {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `(cannot read ${file}: ${(error as Error).message})`;
  }
  return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
}

/**
 * Finds the gateway of this data dir through `gateway.lock`, or starts one detached (its log goes
 * to `<dataDir>/gateway.log`; see `serveArgs` for how it is started) and waits until it answers.
 *
 * @throws Error naming the log and quoting its last lines when the gateway exits or does not answer
 *   within 15 s.
 */
export async function locateOrStartGateway(dataDir: string, cliPath: string): Promise<GatewayAddress> {
  const found = await findGateway(dataDir);
  if ('address' in found) return found.address;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(dataDir, 'gateway.log');
  const log = openSync(logFile, 'a', 0o600);
  const child = spawn(process.execPath, [cliPath, ...serveArgs(dataDir)], {
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + STARTUP_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = await findGateway(dataDir);
    if ('address' in started) return started.address;
    // Another gateway may have won the race for the lock: then its answer above wins next round.
    if (exited !== undefined && readLock(dataDir) === undefined)
      throw new Error(`the MCPlexer gateway exited (code ${exited}) before it answered; the end of ${logFile}:\n${logTail(logFile)}`);
  }
  throw new Error(`the MCPlexer gateway did not start within ${STARTUP_WAIT_MS / 1000} s; the end of ${logFile}:\n${logTail(logFile)}`);
}
