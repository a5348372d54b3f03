import { readLock } from '../shared/node/lock.js';
import { locateGateway, locateOrStartGateway, type LocatedGateway } from '../shared/node/locate.js';
import { ApiError, RestClient } from '../shared/rest-client.js';
import { DEFAULT_PORT } from './settings.js';
import { compareVersions } from './version.js';

export interface AttachOptions {
  dataDir: string;
  /** The daemon bundle shipped in the extension (`dist/cli.js`). */
  cliPath: string;
  /** VS Code's own runtime (`process.execPath`): nothing else needs to be installed. */
  execPath: string;
  /** This extension's version: an older daemon is drained and replaced, a newer one is used as is. */
  version: string;
  idleTimeoutMinutes: number;
  port: number;
  /** `mcplexer.logLevel`: anything but `default` goes to the daemon as `MCPLEXER_LOG_LEVEL`. */
  logLevel: string;
  log: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export type Attached = LocatedGateway & { started: boolean };

const DRAIN_WAIT_MS = 60_000;

/** The arguments after `serve --home <dir>`: idle exit for a daemon a window started, and a chosen port. */
export function serveArgs(options: Pick<AttachOptions, 'idleTimeoutMinutes' | 'port'>): string[] {
  const args = ['--exit-when-idle', String(options.idleTimeoutMinutes)];
  if (options.port !== DEFAULT_PORT) args.push('--port', String(options.port));
  return args;
}

/**
 * The environment of a daemon started from a window: the window's own, without VS Code's
 * per-window variables (the daemon outlives the window, and its servers inherit this).
 */
export function daemonEnv(env: NodeJS.ProcessEnv, logLevel = 'default'): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !/^(VSCODE_|ELECTRON_)/.test(key)));
  if (logLevel !== 'default') kept.MCPLEXER_LOG_LEVEL = logLevel;
  return kept;
}

/**
 * Finds the user's gateway daemon or starts it; an older daemon is asked to drain (a daemon before
 * issue 16 has no `/drain`: it is asked to shut down) and ours replaces it once its lock is gone.
 * @throws Error when the old daemon does not let go within 60 s, or the new one does not answer.
 */
export async function attachGateway(options: AttachOptions): Promise<Attached> {
  const found = await locateGateway({ dataDir: options.dataDir });
  if (found && compareVersions(found.lock.version ?? '0.0.0', options.version) < 0) {
    options.log(`the running gateway ${found.lock.version} (pid ${found.lock.pid}) is older than this extension (${options.version}): draining it`);
    const client = new RestClient(found.url, found.token);
    try {
      await client.drain();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      await client.shutdown();
    }
    await waitForRelease(options.dataDir, found.lock.pid, DRAIN_WAIT_MS);
  } else if (found) {
    return { ...found, started: false };
  }
  return locateOrStartGateway({
    dataDir: options.dataDir,
    cliPath: options.cliPath,
    execPath: options.execPath,
    env: daemonEnv(options.env ?? process.env, options.logLevel),
    args: serveArgs(options),
    portFromLaunchRecord: false, // `mcplexer.port` decides, its default included
  });
}

/** Waits until the lock no longer names `pid`. */
async function waitForRelease(dataDir: string, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (readLock(dataDir)?.pid !== pid) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the older MCPlexer gateway (pid ${pid}) did not stop within ${timeoutMs / 1000} s after it was asked to drain`);
}
