import { spawn } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { HEALTH_CHALLENGE_HEADER, healthProofMessage } from '../schemas/health.js';
import { DAEMON_START_FLAGS } from '../daemon-v8-flags.js';
import { LOG_FILE, readToken } from './data-dir.js';
import { readLaunchRecord } from './launch-record.js';
import { isAlive, lockPath, readLock, STARTING_GRACE_MS, type GatewayLock } from './lock.js';

/** A running gateway: its origin (`http://127.0.0.1:<port>`), its API token and its lock. */
export interface LocatedGateway {
  url: string;
  token: string;
  lock: GatewayLock;
}

/**
 * The gateway of a data dir, found through `gateway.lock`, or why there is none in words: no
 * lock, a lock whose pid is gone, or one whose port does not answer health with this data dir's
 * token as the gateway of this data dir (a stale lock; a port that another gateway or program
 * holds; or a gateway still starting, whose lock does not name its final port yet).
 */
export async function findGateway(dataDir: string): Promise<{ gateway: LocatedGateway } | { missing: string }> {
  const file = lockPath(dataDir);
  const lock = readLock(dataDir);
  if (!lock) return { missing: `no gateway running (looked for ${file})` };
  if (!isAlive(lock.pid)) return { missing: `no gateway running (${file} names pid ${lock.pid}, which is not running)` };
  let token: string;
  try {
    token = readToken(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { missing: `no gateway running yet (${file} names pid ${lock.pid}, but ${dataDir} has no api-token: it is still starting)` };
  }
  const answer = await healthOf(lock.port, token);
  if (answer !== 'ours')
    return {
      missing:
        answer === 'none'
          ? `no gateway answering: ${file} names pid ${lock.pid}, which runs but does not answer health on port ${lock.port} (still starting, or stopped or hung)`
          : `no gateway running (${file} names pid ${lock.pid} on port ${lock.port}, where another gateway or program answers, not the one of ${dataDir})`,
    };
  return { gateway: { url: `http://127.0.0.1:${lock.port}`, token, lock } };
}

/**
 * Who answers `GET /api/v1/health` on a port of 127.0.0.1: `ours` when it proves it holds this
 * data dir's token (its `proof` for a fresh challenge, `healthProofMessage`), `other` when it
 * answers without that proof (another gateway, another program), or `none` (nothing answers
 * within `timeoutMs`). The token itself is never sent to find out: a lock's port proves nothing
 * (the lock names the port before the daemon has it, a stale lock's port may be anyone's since,
 * another local user's included), and whoever holds it must not learn the token by asking for it.
 */
async function healthOf(port: number, token: string, timeoutMs = 1500): Promise<'ours' | 'other' | 'none'> {
  const challenge = randomBytes(24).toString('base64url');
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/api/v1/health`, {
      headers: { [HEALTH_CHALLENGE_HEADER]: challenge },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return 'none'; // refused, reset or timed out: nobody answers there
  }
  const body = (await response.json().catch(() => undefined)) as { proof?: unknown } | undefined;
  if (!response.ok || typeof body?.proof !== 'string') return 'other';
  const expected = Buffer.from(createHmac('sha256', token).update(healthProofMessage(challenge, port)).digest('base64url'));
  const given = Buffer.from(body.proof);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ours' : 'other';
}

/** The running gateway of `dataDir` (lock present, pid alive, health answering), or undefined. */
export async function locateGateway(options: { dataDir: string }): Promise<LocatedGateway | undefined> {
  const found = await findGateway(options.dataDir);
  return 'gateway' in found ? found.gateway : undefined;
}

export interface StartGatewayOptions {
  dataDir: string;
  /** The CLI bundle (`dist/cli.js`) to run `serve` with. */
  cliPath: string;
  /**
   * The runtime to run it with (default: this process's, `process.execPath`). When it is not a
   * plain `node` (VS Code's Electron), the child gets `ELECTRON_RUN_AS_NODE=1`.
   */
  execPath?: string;
  /** The daemon's environment (default `process.env`); `MCPLEXER_CONFIG`/`MCPLEXER_PORT` there win over `launch.json`. */
  env?: NodeJS.ProcessEnv;
  /** More arguments after `serve --home <dataDir> …` (e.g. `['--exit-when-idle', '30']`). */
  args?: readonly string[];
  /**
   * Whether the port the last gateway ran with (`launch.json`) is passed on (default true). False
   * when the caller's own setting decides the port (the extension's `mcplexer.port`, default
   * included): the record's `--port` came before the caller's, and at the default the caller adds
   * none, so the record's port won and the default could never be restored (a new user's trial).
   */
  portFromLaunchRecord?: boolean;
  /**
   * How long to wait for the lock and health, ms (default `START_TIMEOUT_MS`). Keep it above
   * `STARTING_GRACE_MS`: the new daemon may wait that long for a silent lock holder before it
   * takes over or says why it cannot (a trial's editor gave up at 20 s, the very moment the daemon
   * would have said "port … is in use by pid …", and quoted an empty log).
   */
  timeoutMs?: number;
}

const LOG_TAIL_LINES = 8;
/** How long a start waits for its daemon by default (ms): the lock's grace for a silent holder, and 10 s to start after it. */
export const START_TIMEOUT_MS = STARTING_GRACE_MS + 10_000;
const POLL_MS = 150;

/**
 * The arguments of `serve` for a gateway started on demand: the data dir, then the YAML config and
 * the port the last gateway of this data dir ran with (`launch.json`), unless `env` sets them.
 */
export function serveArgs(dataDir: string, env: NodeJS.ProcessEnv = process.env, portFromLaunchRecord = true): string[] {
  const args = ['serve', '--home', dataDir];
  const record = readLaunchRecord(dataDir);
  if (record?.config_file && !env.MCPLEXER_CONFIG?.trim()) args.push('--config', record.config_file);
  if (portFromLaunchRecord && record?.port && !env.MCPLEXER_PORT?.trim()) args.push('--port', String(record.port));
  return args;
}

/**
 * Whether a runtime is a plain Node binary, as opposed to Electron: this process's own runtime when
 * it is not Electron, or one named `node`, `node.exe` or `nodejs`.
 */
export function isPlainNode(execPath: string): boolean {
  if (execPath === process.execPath && process.versions.electron === undefined) return true;
  // Either separator, whatever the platform: the name alone decides.
  return /^node(js)?(\.exe)?$/i.test(execPath.split(/[\\/]/).pop() ?? '');
}

/**
 * Finds the gateway of `dataDir` (see `locateGateway`) or starts one: `execPath <DAEMON_START_FLAGS>
 * cliPath serve --home <dataDir> …` detached (its own process group, not a child that dies with this process),
 * stdout and stderr appended to `<dataDir>/gateway.log`, then waits for its lock and health.
 * Two starters racing is fine: the loser's daemon exits on the lock, and both find the winner.
 * `started` is true when the gateway found is the one this call spawned.
 *
 * @throws Error naming `gateway.log` and quoting the last lines this start wrote to it when the
 *   daemon exits before it answers, or does not answer within `timeoutMs`.
 */
export async function locateOrStartGateway(options: StartGatewayOptions): Promise<LocatedGateway & { started: boolean }> {
  const { dataDir } = options;
  const found = await locateGateway({ dataDir });
  if (found) return { ...found, started: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(dataDir, LOG_FILE);
  const execPath = options.execPath ?? process.execPath;
  const baseEnv = options.env ?? process.env;
  const env = isPlainNode(execPath) ? baseEnv : { ...baseEnv, ELECTRON_RUN_AS_NODE: '1' };
  const log = openSync(logFile, 'a', 0o600);
  endLastLine(logFile, log);
  // Only what this start writes is quoted: earlier runs' lines ("gateway listening …") would mislead.
  const from = fstatSync(log).size;
  let exited: string | undefined;
  try {
    const child = spawn(
      execPath,
      [...DAEMON_START_FLAGS, options.cliPath, ...serveArgs(dataDir, baseEnv, options.portFromLaunchRecord), ...(options.args ?? [])],
      {
        detached: true,
        stdio: ['ignore', log, log],
        env,
        windowsHide: true,
      },
    );
    child.once('error', (error) => (exited = `could not be started: ${error.message}`));
    child.once('exit', (code, signal) => (exited = `exited (${signal ?? `code ${code}`})`));
    child.unref();
    const timeoutMs = options.timeoutMs ?? START_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const started = await locateGateway({ dataDir });
      if (started) return { ...started, started: started.lock.pid === child.pid };
      // Another gateway may have won the race for the lock: then its answer above wins next round.
      if (exited !== undefined && readLock(dataDir) === undefined)
        throw new Error(`the MCPlexer gateway ${exited} before it answered; what it wrote to ${logFile}:\n${logTail(logFile, from)}`);
    }
    const still = exited === undefined ? ` (it still runs as pid ${child.pid})` : '';
    throw new Error(
      `the MCPlexer gateway did not answer within ${timeoutMs / 1000} s${still}; what it wrote to ${logFile}:\n${logTail(logFile, from, exited !== undefined)}`,
    );
  } finally {
    closeSync(log); // the child holds its own copy of the descriptor
  }
}

/**
 * Ends the log's last line if a writer left it open (a daemon killed in a write, a child's output
 * without a line break), so the new daemon's first message starts a line of its own instead of
 * running onto it (and a quoted tail keeps them apart).
 */
function endLastLine(file: string, fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  const reader = openSync(file, 'r');
  try {
    readSync(reader, last, 0, 1, size - 1);
  } finally {
    closeSync(reader);
  }
  if (last[0] !== 0x0a) writeSync(fd, '\n');
}

/** The last lines the daemon wrote to its log from byte `from` on (this start's), or why there are none. */
function logTail(file: string, from: number, ended = true): string {
  let text: string;
  try {
    text = readFileSync(file).subarray(from).toString('utf8');
  } catch (error) {
    return `(cannot read ${file}: ${(error as Error).message})`;
  }
  if (text.trim() === '') return ended ? '(nothing: it wrote no line before it ended)' : '(nothing yet)';
  return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
}
