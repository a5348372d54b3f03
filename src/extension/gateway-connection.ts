import * as vscode from 'vscode';
import { isAlive, readLock, type GatewayLock } from '../shared/node/lock.js';
import { findGateway, locateGateway } from '../shared/node/locate.js';
import { RestClient } from '../shared/rest-client.js';
import type { GatewayEvent } from '../shared/schemas/daemon.js';
import type { GatewayEventStream } from '../shared/sse.js';
import type { Attached } from './attach.js';

export type GatewayState = 'attaching' | 'ready' | 'error';

/** What views, commands and the MCP provider see of the daemon (ISSUE16-CONTRACT.md). */
export interface GatewayConnection {
  readonly client: RestClient | undefined;
  readonly state: GatewayState;
  readonly url: string | undefined;
  /** This window's folder paths. */
  readonly folders: readonly string[];
  onDidChangeState: vscode.Event<GatewayState>;
  onEvent: vscode.Event<GatewayEvent>;
  restart(): Promise<void>;
}

const POLL_MS = 5_000;

export interface ConnectionDeps {
  dataDir: string;
  /** Finds or starts the daemon (attach.ts). */
  attach: () => Promise<Attached>;
  folders: () => readonly string[];
  log: vscode.LogOutputChannel;
}

/**
 * The window's link to the daemon: attaching → ready → error (and back). Ready means a REST client
 * with the daemon's token and an SSE stream; a health poll every 5 s (and at once when the stream
 * drops) notices a dead daemon or a lock that names another one, and turns to `error`. In `error`
 * the poll only looks for a daemon that came back (another window or `mcplexer serve` may start
 * one) and attaches to it; `restart()` starts one.
 */
export class DaemonConnection implements GatewayConnection, vscode.Disposable {
  client: RestClient | undefined;
  state: GatewayState = 'attaching';
  url: string | undefined;
  token: string | undefined;
  lock: GatewayLock | undefined;
  /** Why the state is `error`, for the status bar and the commands. */
  problem: string | undefined;
  /** The state is `error` because the daemon ended without releasing its lock (killed, crashed), not by a stop. */
  crashed = false;
  private readonly stateEmitter = new vscode.EventEmitter<GatewayState>();
  private readonly eventEmitter = new vscode.EventEmitter<GatewayEvent>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onEvent = this.eventEmitter.event;
  private stream: GatewayEventStream | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private checking = false;
  private attaching: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly deps: ConnectionDeps) {}

  get folders(): readonly string[] {
    return this.deps.folders();
  }

  /** Attaches (starting the daemon if none runs); resolves when ready or in error, never rejects. */
  start(): Promise<void> {
    this.attaching ??= this.attachOnce().finally(() => (this.attaching = undefined));
    return this.attaching;
  }

  /**
   * Starts the daemon again: a live one this window is attached to is asked to stop first (the
   * Restart Gateway command asks the user before), then attach starts a fresh one.
   */
  async restart(): Promise<void> {
    const client = this.state === 'ready' ? this.client : undefined;
    const pid = this.lock?.pid;
    this.detach();
    if (client && pid !== undefined) {
      await client.shutdown();
      const deadline = Date.now() + 15_000;
      while (readLock(this.deps.dataDir)?.pid === pid && Date.now() < deadline) await new Promise((r) => setTimeout(r, 150));
    }
    await this.start();
  }

  /** Resolves once ready (true) or after `timeoutMs` / on error (false). */
  async whenReady(timeoutMs: number): Promise<boolean> {
    if (this.state === 'ready') return true;
    if (this.state === 'error') return false;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const sub = this.onDidChangeState((s) => s !== 'attaching' && done(s === 'ready'));
      const done = (ok: boolean) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(ok);
      };
    });
  }

  dispose(): void {
    this.disposed = true;
    this.detach();
    this.stopPoll();
    this.stateEmitter.dispose();
    this.eventEmitter.dispose();
  }

  private async attachOnce(): Promise<void> {
    this.setState('attaching');
    try {
      const found = await this.deps.attach();
      if (this.disposed) return;
      this.use(found);
      this.deps.log.info(`${found.started ? 'started' : 'attached to'} the gateway ${found.lock.version} at ${found.url} (pid ${found.lock.pid})`);
    } catch (error) {
      this.fail(`could not attach to the gateway: ${(error as Error).message}`);
    }
  }

  private use(found: Attached): void {
    this.url = found.url;
    this.token = found.token;
    this.lock = found.lock;
    this.client = new RestClient(found.url, found.token);
    this.problem = undefined;
    this.crashed = false;
    this.stream = this.client.events();
    this.stream.onEvent((event) => this.eventEmitter.fire(event));
    this.stream.onStatus((status) => status === 'reconnecting' && void this.check());
    this.startPoll();
    this.setState('ready');
  }

  private fail(problem: string): void {
    this.detach();
    this.problem = problem;
    this.deps.log.error(problem);
    this.startPoll();
    this.setState('error');
  }

  private detach(): void {
    this.stream?.close();
    this.stream = undefined;
    this.client = undefined;
  }

  private setState(state: GatewayState): void {
    if (this.state === state && state !== 'ready') return;
    this.state = state;
    this.stateEmitter.fire(state);
  }

  private startPoll(): void {
    this.poll ??= setInterval(() => void this.check(), POLL_MS);
  }

  private stopPoll(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
  }

  /** One health check: in `ready`, is our daemon still there; in `error`, is one back. */
  private async check(): Promise<void> {
    if (this.checking || this.attaching || this.disposed) return;
    this.checking = true;
    try {
      if (this.state === 'ready') {
        const problem = await this.readyProblem();
        if (problem && this.state === 'ready') this.fail(problem);
      } else if (this.state === 'error') {
        const found = await locateGateway({ dataDir: this.deps.dataDir });
        if (found && this.state === 'error') {
          this.deps.log.info(`a gateway is running again at ${found.url} (pid ${found.lock.pid}): attaching`);
          this.use({ ...found, started: false });
        }
      }
    } finally {
      this.checking = false;
    }
  }

  private async readyProblem(): Promise<string | undefined> {
    const lock = readLock(this.deps.dataDir);
    if (!lock) return `the gateway (pid ${this.lock?.pid}) stopped: its lock is gone`;
    if (lock.pid !== this.lock?.pid || lock.port !== this.lock?.port)
      return `the gateway lock changed (pid ${this.lock?.pid} → ${lock.pid}, port ${this.lock?.port} → ${lock.port})`;
    // A stop releases the lock; one left behind by a process that is gone means it was killed or crashed.
    if (!isAlive(lock.pid)) {
      this.crashed = true;
      return `the gateway (pid ${lock.pid}) ended without releasing its lock: it crashed or was killed`;
    }
    // The proof-of-token health check (no token sent): a daemon that died and left its lock, whose
    // port something else took meanwhile, must not be sent the token by this poll.
    const found = await findGateway(this.deps.dataDir);
    return 'gateway' in found ? undefined : `the gateway at ${this.url} does not answer as ours: ${found.missing}`;
  }
}
