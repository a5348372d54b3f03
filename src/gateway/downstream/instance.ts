/**
 * One instance: a downstream server under one auth scope. It owns the lifecycle (spawn/connect → initialize → ready →
 * drain → stop), lazy start, the idle timer, restart with backoff after a failure, and the per-call path, which on a
 * ready instance does O(1) work: one entry in the in-flight set, one SDK request, no validation or re-serialisation.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { BackoffPolicy } from './backoff.js';
import { CallEntry } from './call-registry.js';
import type { ClientCapabilityKey } from './client-capabilities.js';
import { openConnection, type Connection } from './connection.js';
import { describeCallError, describeStartFailure, isConnectionFailure } from './describe-error.js';
import { FailureRecord } from './failure-record.js';
import type { GroupRegistry } from './group-registry.js';
import { IdleTimer } from './idle-timer.js';
import { raceCall } from './race-call.js';
import { sendRequest } from './request-shape.js';
import { childVisibleEnv, expandVars } from './child-env.js';
import { Redactor, valuesToHide } from './redact.js';
import { StderrRing } from './stderr-ring.js';
import { StdoutNoise } from './stdout-noise.js';
import type { CallOptions, DownstreamMessage, DownstreamResult, InstanceHealth, InstanceState, ScopeValues } from './types.js';

export interface InstanceDeps {
  clientInfo: { name: string; version: string };
  gatewayEnv: Record<string, string | undefined>;
  homeDir: string;
  /** Spawn/connect + initialize must finish within this (ms), read at each start. */
  startTimeoutMs: () => number;
  /** The most one message from a stdio server may hold (bytes), read at each chunk. */
  maxMessageBytes: () => number;
  groups?: GroupRegistry;
  stopGraceMs: number;
  healthyAfterMs: number;
  servedUpMs: number;
  stderrLines: number;
  backoff: BackoffPolicy;
  logger: Logger;
  resolveScope(scopeId: string): Promise<ScopeValues>;
  onState(instance: Instance, state: InstanceState, error?: string): void;
  onUnrouted(instance: Instance, notification: DownstreamMessage): void;
  onUnattributed(instance: Instance, notification: DownstreamMessage): void;
}

const EMPTY_SCOPE: ScopeValues = { env: {}, headers: {} };

type LifecycleState = Exclude<InstanceState, 'busy' | 'disabled'>;

export class Instance {
  /** Opaque, unique for this instance's life in the pool (across restarts): audit's `downstream_instance_id`, health's `instance_id`. */
  readonly id = randomUUID();
  readonly stderr: StderrRing;
  readonly stdoutNoise = new StdoutNoise(undefined, undefined, (line) => this.redactor.redact(line));
  /** Hides this server's secrets (and known credential shapes) in what it prints, before anything keeps it. */
  private readonly redactor = new Redactor();
  private conn: Connection | null = null;
  private starting: Promise<Connection> | null = null;
  private startAbort: AbortController | null = null;
  private state: LifecycleState = 'stopped';
  private generation = 0;
  private readonly failures: FailureRecord;
  private readonly idle: IdleTimer;

  constructor(
    public server: DownstreamServer,
    readonly scopeId: string | null,
    private readonly deps: InstanceDeps,
    /** The client capabilities this instance declares downstream (part of its key in the pool). */
    readonly clientCapabilities: ClientCapabilityKey = '',
  ) {
    this.stderr = new StderrRing(deps.stderrLines, undefined, (line) => this.redactor.redact(line));
    this.failures = new FailureRecord(deps.healthyAfterMs, deps.backoff, deps.servedUpMs);
    this.idle = new IdleTimer(
      () => this.server.idle_timeout_sec * 1000,
      () => this.conn !== null && this.conn.alive && this.conn.registry.size === 0,
      () => void this.stop('idle', 0),
    );
  }

  /** Calls in flight on the live connection (what `max_instances` balances on). */
  get inFlight(): number {
    return this.conn?.registry.size ?? 0;
  }

  /** Sends one request, starting the instance first if it is not running. */
  request(method: string, params: Record<string, unknown> | undefined, opts: CallOptions): Promise<DownstreamResult> {
    const conn = this.conn;
    if (conn !== null && conn.alive) return this.send(conn, method, params, opts, opts.timeoutMs, false);
    return this.sendWhenReady(method, params, opts, false);
  }

  private sendWhenReady(method: string, params: Record<string, unknown> | undefined, opts: CallOptions, retry: boolean): Promise<DownstreamResult> {
    const began = Date.now();
    return this.connection(opts).then((ready) => this.send(ready, method, params, opts, Math.max(1, opts.timeoutMs - (Date.now() - began)), retry));
  }

  /** The live connection, starting one if needed (shared by concurrent callers; bounded by the call's timeout and signal). */
  connection(opts: CallOptions): Promise<Connection> {
    const conn = this.conn;
    if (conn !== null && conn.alive) return Promise.resolve(conn);
    if (opts.signal?.aborted) return Promise.reject(this.cancelled());
    if (this.starting === null) {
      const { count, nextStartAt, lastError } = this.failures;
      const wait = nextStartAt - Date.now();
      if (wait > opts.timeoutMs) {
        const message = `downstream server "${this.server.name}" failed ${count} times in a row; next restart in ${Math.ceil(wait / 1000)} s. Last error: ${lastError ?? 'unknown'}`;
        return Promise.reject(new GatewayError('downstream_unavailable', message));
      }
      const starting = this.start(Math.max(0, wait));
      this.starting = starting;
      const clear = (): void => {
        if (this.starting === starting) this.starting = null;
      };
      starting.then(clear, clear);
    }
    return raceCall(
      this.starting,
      opts,
      () => this.cancelled(),
      () => new GatewayError('timeout', `"${this.server.name}" did not respond within ${Math.round(opts.timeoutMs / 100) / 10} s (it was still starting)`),
    );
  }

  /** drain → stop: waits up to `drainMs` for calls in flight, then closes (killing a stdio process tree). */
  async stop(reason: 'idle' | 'stopped', drainMs: number): Promise<void> {
    this.generation++;
    this.idle.clear();
    const starting = this.starting;
    this.startAbort?.abort(); // a start stuck in initialize must not hold the stop for the whole start timeout
    const conn = this.conn;
    this.conn = null;
    if (conn) {
      this.setState('stopping');
      await conn.drained(drainMs);
      await conn.close(new GatewayError('downstream_unavailable', `downstream server "${this.server.name}" was stopped while the call was in flight`));
    }
    if (starting) await starting.catch(() => undefined); // the start sees the new generation and closes what it opened
    if (this.conn === null && this.starting === null) this.setState(reason);
  }

  health(): InstanceHealth {
    const conn = this.conn;
    const inFlight = conn?.registry.size ?? 0;
    const state: InstanceState = this.state === 'ready' && inFlight > 0 ? 'busy' : this.state;
    return {
      instance_id: this.id,
      scope_id: this.scopeId,
      state,
      transport: conn?.kind,
      pid: conn?.pid,
      in_flight: inFlight,
      started_at: conn ? new Date(conn.startedAt).toISOString() : undefined,
      last_error: this.failures.lastError,
      last_error_at: this.failures.lastErrorAt === undefined ? undefined : new Date(this.failures.lastErrorAt).toISOString(),
      consecutive_failures: this.failures.consecutive(this.state === 'ready'),
    };
  }

  /** `retry`: this is the one retry on a new session after the server expired the old one (README "Session expiry"). */
  private send(
    conn: Connection,
    method: string,
    params: Record<string, unknown> | undefined,
    opts: CallOptions,
    timeoutMs: number,
    retry: boolean,
  ): Promise<DownstreamResult> {
    const entry = new CallEntry(opts);
    conn.registry.add(entry);
    return sendRequest(conn, entry, method, params, opts, timeoutMs).then(
      (result) => {
        this.finish(conn, entry);
        if (conn === this.conn) this.failures.served();
        return result;
      },
      (error: unknown) => {
        this.finish(conn, entry);
        if (!retry && !opts.signal?.aborted && conn.sessionExpiredBy(error)) {
          this.renewSession(conn);
          return this.sendWhenReady(method, params, opts, true);
        }
        throw this.callError(conn, error, opts, retry);
      },
    );
  }

  private finish(conn: Connection, entry: CallEntry): void {
    conn.registry.remove(entry);
    this.idle.lastActivity = Date.now();
    if (conn.registry.size === 0) {
      if (conn === this.conn) this.idle.arm();
      conn.onDrained?.();
    }
  }

  /** The server ended the connection's session (it ran nothing): the connection is retired and the next call opens a new session. */
  private renewSession(conn: Connection): void {
    if (this.conn !== conn) return; // another call on it saw the 404 first
    this.conn = null;
    this.idle.clear();
    conn.retire();
    this.deps.logger.info('downstream session expired; starting a new one', { server: this.server.id, scope: this.scopeId });
  }

  private callError(conn: Connection, error: unknown, opts: CallOptions, retried: boolean): GatewayError {
    const described = describeCallError(error, {
      name: this.server.name,
      timeoutMs: opts.timeoutMs,
      aborted: opts.signal?.aborted === true,
      closeError: conn.closeError,
      http: conn.kind === 'stdio' ? undefined : { url: this.server.url ?? '', scopeId: this.scopeId },
      retried,
      stdoutNoise: conn.kind === 'stdio' ? this.stdoutNoise.summary() : undefined,
    });
    if (conn.kind !== 'stdio' && conn.alive && isConnectionFailure(error)) conn.markBroken(described);
    return this.redactor.redactError(described); // the server's words reach the caller: what it was handed, masked
  }

  private async start(delayMs: number): Promise<Connection> {
    const generation = this.generation;
    const abort = new AbortController();
    this.startAbort = abort;
    try {
      this.setState('starting');
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: abort.signal });
      const scope = this.scopeId ? await this.deps.resolveScope(this.scopeId) : EMPTY_SCOPE;
      abort.signal.throwIfAborted();
      this.redactor.setValues(valuesToHide(this.server, scope, childVisibleEnv(this.deps.gatewayEnv), expandVars));
      const conn = await openConnection({
        server: this.server,
        scopeId: this.scopeId,
        scope,
        stderr: this.stderr,
        stdoutNoise: this.stdoutNoise,
        clientInfo: this.deps.clientInfo,
        gatewayEnv: this.deps.gatewayEnv,
        homeDir: this.deps.homeDir,
        startTimeoutMs: this.deps.startTimeoutMs(),
        stopGraceMs: this.deps.stopGraceMs,
        maxMessageBytes: this.deps.maxMessageBytes,
        groups: this.deps.groups,
        signal: abort.signal,
        clientCapabilities: this.clientCapabilities,
        onUnrouted: (notification) => this.deps.onUnrouted(this, notification),
        onUnattributed: (notification) => this.deps.onUnattributed(this, notification),
        onCallbackError: (error, method) => this.deps.logger.warn('downstream callback failed', { server: this.server.id, method, error: String(error) }),
        onTransportError: (error) =>
          this.deps.logger.debug('downstream transport error', { server: this.server.id, error: this.redactor.redact(error.message) }),
      });
      if (generation !== this.generation) {
        await conn.close();
        throw new GatewayError('downstream_unavailable', `downstream server "${this.server.name}" was stopped while it was starting`);
      }
      conn.onUnexpectedClose = (error) => this.onCrash(conn, error);
      this.conn = conn;
      this.failures.ready((this.idle.lastActivity = Date.now()));
      this.setState('ready');
      this.idle.arm();
      return conn;
    } catch (error) {
      const failure = this.redactor.redactError(describeStartFailure(error, this.server.name, abort.signal.aborted));
      if (abort.signal.aborted) throw failure;
      if (generation === this.generation) {
        this.recordFailure(failure);
        this.setState('failed', this.failures.lastError);
      }
      throw failure;
    } finally {
      if (this.startAbort === abort) this.startAbort = null;
    }
  }

  private onCrash(conn: Connection, error: GatewayError): void {
    if (this.conn !== conn) return;
    this.conn = null;
    this.idle.clear();
    this.recordFailure(error);
    this.setState('failed', this.failures.lastError);
    this.deps.logger.warn('downstream server stopped unexpectedly', { server: this.server.id, scope: this.scopeId, error: this.failures.lastError });
    void conn.close(); // reaps what is left of the process tree
  }

  private recordFailure(error: GatewayError): void {
    this.failures.record(this.redactor.redact(error.message));
  }

  private setState(state: LifecycleState, error?: string): void {
    if (this.state === state) return;
    this.state = state;
    this.deps.onState(this, state, error);
  }

  private cancelled(): GatewayError {
    return new GatewayError('cancelled', `the call to "${this.server.name}" was cancelled`);
  }
}
