import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assertInstalled, CODE_SERVER_ENTRY } from './paths';
import { processesInGroup, processesWithEnv, signalAll, sleep, waitFor } from './processes';

/** The environment variable that marks every process of one run (see processesWithEnv). */
export const RUN_MARKER = 'MCPLEXER_E2E_RUN';

export interface CodeServerOptions {
  /** Paths of .vsix files installed (`code-server --install-extension`) before the server starts. */
  extensions: string[];
  /** User settings merged over DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Names of empty folders to create for the workbench to open (default: one, `project`). */
  folders?: string[];
  /** Extra environment for code-server and everything it starts (extension hosts included). */
  env?: Record<string, string>;
}

export interface CodeServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** The temp folder holding everything below; removed by stop() unless MCPLEXER_E2E_KEEP=1. */
  baseDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** `<userDataDir>/logs`: one timestamped folder per server start, extension host logs inside. */
  logsDir: string;
  /** HOME for code-server (the XDG_* dirs live under it). */
  home: string;
  /** Absolute paths of the folders created from options.folders, in order. */
  folders: string[];
  /** code-server's own stdout and stderr. */
  outputLog: string;
  /** code-server's pid, which is also its process group id. */
  pid: number;
  /** The value of RUN_MARKER in the environment of every process of this run. */
  marker: string;
  /** Kills the process group and every marked process (SIGTERM, then SIGKILL after 5 s); idempotent. */
  stop(): Promise<void>;
}

/** Settings that keep the screen clean and the machine quiet: no welcome page, trust prompt, telemetry or update checks. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
};

const execFileAsync = promisify(execFile);
const INSTALL_TIMEOUT_MS = 60_000;
const LISTEN_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/** Runs that have not been stopped yet: killed synchronously if the test process exits first. */
const live = new Map<string, { pid: number }>();
process.once('exit', () => {
  for (const [marker, { pid }] of live) {
    signalAll([-pid, ...processesWithEnv(RUN_MARKER, marker).map((p) => p.pid)], 'SIGKILL');
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** An environment with nothing of the test runner's own (vitest, npm, an enclosing VS Code) and every dir in `base`. */
function isolatedEnv(base: string, marker: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !/^(VSCODE_|ELECTRON_|VITEST|npm_|NODE_OPTIONS$|NODE_ENV$|TEST$)/.test(key));
  const home = path.join(base, 'home');
  const dirs = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_RUNTIME_DIR: path.join(base, 'runtime'),
    TMPDIR: path.join(base, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return { ...Object.fromEntries(inherited), ...dirs, ...extra, [RUN_MARKER]: marker };
}

async function installExtensions(vsixPaths: string[], args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (vsixPaths.length === 0) return;
  const install = vsixPaths.flatMap((vsix) => ['--install-extension', path.resolve(vsix)]);
  const { stdout, stderr } = await execFileAsync(process.execPath, [CODE_SERVER_ENTRY, ...args, ...install], { env, timeout: INSTALL_TIMEOUT_MS });
  const installed = stdout.split('\n').filter((line) => /was successfully installed/.test(line)).length;
  if (installed !== vsixPaths.length) {
    throw new Error(`code-server installed ${installed} of ${vsixPaths.length} extensions:\n${stdout}\n${stderr}`);
  }
}

const outputTail = (file: string) => readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');

/** Starts code-server on `port`; resolves once /healthz answers, rejects if it exits first. */
async function listen(args: string[], port: number, env: NodeJS.ProcessEnv, outputLog: string): Promise<ChildProcess> {
  const out = openSync(outputLog, 'a');
  // detached: its own process group, so stop() can kill code-server and its extension hosts at once.
  const child = spawn(process.execPath, [CODE_SERVER_ENTRY, ...args, '--bind-addr', `127.0.0.1:${port}`], { detached: true, stdio: ['ignore', out, out], env });
  closeSync(out);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  try {
    await waitFor(
      `code-server to answer on port ${port}`,
      async () => {
        if (exited) throw new Error(`code-server ${exited} before listening:\n${outputTail(outputLog)}`);
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (response) => response.ok,
          () => false, // not listening yet: connection refused is the expected answer while it starts
        );
        return ok ? true : undefined;
      },
      LISTEN_TIMEOUT_MS,
    );
  } catch (error) {
    if (!exited && child.pid) signalAll([-child.pid], 'SIGKILL');
    throw error;
  }
  return child;
}

/**
 * Ends every process of a run: its process group and every process carrying its marker, with
 * SIGTERM, then SIGKILL for what is left after STOP_GRACE_MS.
 * @throws Error listing the processes still alive after SIGKILL.
 */
async function killRun(pgid: number, marker: string): Promise<void> {
  const leftovers = () => [...processesInGroup(pgid), ...processesWithEnv(RUN_MARKER, marker)];
  const gone = async () => {
    const deadline = Date.now() + STOP_GRACE_MS;
    while (leftovers().length > 0) {
      if (Date.now() > deadline) return false;
      await sleep(100);
    }
    return true;
  };
  signalAll([-pgid, ...leftovers().map((p) => p.pid)], 'SIGTERM');
  if (await gone()) return;
  signalAll([-pgid, ...leftovers().map((p) => p.pid)], 'SIGKILL');
  if (await gone()) return;
  throw new Error(`processes of the run survived SIGKILL: ${JSON.stringify(leftovers())}`);
}

/**
 * Starts an isolated code-server with the given extensions installed: its own HOME, XDG_* dirs,
 * TMPDIR, user-data and extensions dirs in a fresh temp folder, settings that keep the screen clean,
 * `--auth none` on a free loopback port, in its own process group. Call stop() when done.
 * @throws Error when the setup has not run, an extension does not install, or code-server does not listen within 30 s.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertInstalled();
  const baseDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-e2e-'));
  const marker = randomUUID();
  const env = isolatedEnv(baseDir, marker, options.env);
  const userDataDir = path.join(baseDir, 'user-data');
  const extensionsDir = path.join(baseDir, 'extensions');
  const configFile = path.join(baseDir, 'config.yaml');
  const outputLog = path.join(baseDir, 'code-server.log');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // An empty --config file fails; "auth: none" also keeps code-server from writing a password file.
  writeFileSync(configFile, 'auth: none\n');
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2));
  const folders = (options.folders ?? ['project']).map((name) => path.join(baseDir, 'folders', name));
  for (const folder of folders) mkdirSync(folder, { recursive: true });

  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const cleanup = () => (process.env.MCPLEXER_E2E_KEEP === '1' ? undefined : rmSync(baseDir, { recursive: true, force: true }));
  let child: ChildProcess | undefined;
  let port = 0;
  try {
    await installExtensions(options.extensions, common, env);
    const serveArgs = [...common, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened'];
    for (let attempt = 1; !child; attempt++) {
      port = await freePort();
      try {
        child = await listen(serveArgs, port, env, outputLog);
      } catch (error) {
        // Another process may take the probed port before code-server binds it: try another one.
        if (attempt >= 3 || !/EADDRINUSE/.test(String(error))) throw error;
      }
    }
  } catch (error) {
    cleanup();
    throw error;
  }

  const started = child;
  const pid = started.pid!;
  live.set(marker, { pid });
  const exited = new Promise<void>((resolve) => (started.exitCode !== null || started.signalCode !== null ? resolve() : started.once('exit', () => resolve())));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await killRun(pid, marker);
      await exited;
      live.delete(marker);
      cleanup();
    })());

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    baseDir,
    userDataDir,
    extensionsDir,
    logsDir: path.join(userDataDir, 'logs'),
    home: env.HOME!,
    folders,
    outputLog,
    pid,
    marker,
    stop,
  };
}
