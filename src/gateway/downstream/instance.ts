/**
 * One instance: a downstream server under one auth scope. It owns the lifecycle (spawn/connect →
 * initialize → ready → drain → stop), lazy start, the idle timer, restart with backoff after a
 * failure, and the per-call path, which on a ready instance does O(1) work: one entry in the
 * in-flight set, one SDK request, no validation or re-serialisation of the result.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestOptions } from '@modelcontextprotocol/client';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { restartDelay, type BackoffPolicy } from './backoff.js';
import { CallEntry } from './call-registry.js';
import type { ClientCapabilityKey } from './client-capabilities.js';
import { openConnection, type Connection } from './connection.js';
import { describeCallError, describeStartFailure, isConnectionFailure } from './describe-error.js';
import type { GroupRegistry } from './group-registry.js';
import { IdleTimer } from './idle-timer.js';
import { raceCall } from './race-call.js';
import { AS_SENT, withoutProgressToken } from './request-shape.js';
import { childVisibleEnv, expandVars } from './child-env.js';
import { Redactor, valuesToHide } from './redact.js';
import { StderrRing } from './stderr-ring.js';
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
  stderrLines: number;
  backoff: BackoffPolicy;
  logger: Logger;
  resolveScope(scopeId: string): Promise<ScopeValues>;
  onState(instance: Instance, state: InstanceState, error?: string): void;
  onUnrouted(instance: Instance, notification: DownstreamMessage): void;
  onUnattributed(instance: Instance, notification: DownstreamMessage): void;
}

const NOOP = (): void => undefined;
const EMPTY_SCOPE: ScopeValues = { env: {}, headers: {} };

type LifecycleState = Exclude<InstanceState, 'busy' | 'disabled'>;

export class Instance {
  readonly stderr: StderrRing;
  /** Hides this server's secrets (and known credential shapes) in what it prints, before anything keeps it. */
  private readonly redactor = new Redactor();
  private conn: Connection | null = null;
  private starting: Promise<Connection> | null = null;
  private startAbort: AbortController | null = null;
  private state: LifecycleState = 'stopped';
  private generation = 0;
  private failures = 0;
  private readyAt = 0;
  private nextStartAt = 0;
  private lastError?: string;
  private lastErrorAt?: number;
  private readonly idle: IdleTimer;

  constructor(
    public server: DownstreamServer,
    readonly scopeId: string | null,
    private readonly deps: InstanceDeps,
    /** The client capabilities this instance declares downstream (part of its key in the pool). */
    readonly clientCapabilities: ClientCapabilityKey = '',
  ) {
    this.stderr = new StderrRing(deps.stderrLines, undefined, (line) => this.redactor.redact(line));
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
    if (conn !== null && conn.alive) return this.send(conn, method, params, opts, opts.timeoutMs);
    const began = Date.now();
    return this.connection(opts).then((ready) => this.send(ready, method, params, opts, Math.max(1, opts.timeoutMs - (Date.now() - began))));
  }

  /** The live connection, starting one if needed (shared by concurrent callers; bounded by the call's timeout and signal). */
  connection(opts: CallOptions): Promise<Connection> {
    const conn = this.conn;
    if (conn !== null && conn.alive) return Promise.resolve(conn);
    if (opts.signal?.aborted) return Promise.reject(this.cancelled());
    if (this.starting === null) {
      const wait = this.nextStartAt - Date.now();
      if (wait > opts.timeoutMs) {
        return Promise.reject(
          new GatewayError(
            'downstream_unavailable',
            `downstream server "${this.server.name}" failed ${this.failures} times in a row; next restart in ${Math.ceil(wait / 1000)} s. Last error: ${this.lastError ?? 'unknown'}`,
          ),
        );
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
      scope_id: this.scopeId,
      state,
      transport: conn?.kind,
      pid: conn?.pid,
      in_flight: inFlight,
      started_at: conn ? new Date(conn.startedAt).toISOString() : undefined,
      last_error: this.lastError,
      last_error_at: this.lastErrorAt === undefined ? undefined : new Date(this.lastErrorAt).toISOString(),
      consecutive_failures: this.consecutiveFailures(),
    };
  }

  private send(conn: Connection, method: string, params: Record<string, unknown> | undefined, opts: CallOptions, timeoutMs: number): Promise<DownstreamResult> {
    const entry = new CallEntry(opts);
    const registry = conn.registry;
    registry.add(entry);
    const sdkOptions: RequestOptions = { timeout: timeoutMs, signal: opts.signal, maxTotalTimeout: opts.maxTotalTimeoutMs };
    let outgoing = params;
    if (opts.onProgress) {
      sdkOptions.onprogress = NOOP; // delivery is the registry's, in wire order; the SDK only mints the token
      sdkOptions.resetTimeoutOnProgress = true;
      registry.beginSend(entry);
    } else if ((params?._meta as Record<string, unknown> | undefined)?.progressToken !== undefined) {
      outgoing = withoutProgressToken(params!); // a client's token must not reach a downstream shared by other clients
    }
    let pending: Promise<DownstreamResult>;
    try {
      pending = conn.client.request({ method, params: outgoing }, AS_SENT, sdkOptions);
    } catch (error) {
      pending = Promise.reject(error);
    } finally {
      registry.beginSend(null);
    }
    return pending.then(
      (result) => {
        this.finish(conn, entry);
        return result;
      },
      (error: unknown) => {
        this.finish(conn, entry);
        throw this.callError(conn, error, opts);
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

  private callError(conn: Connection, error: unknown, opts: CallOptions): GatewayError {
    const described = describeCallError(error, {
      name: this.server.name,
      timeoutMs: opts.timeoutMs,
      aborted: opts.signal?.aborted === true,
      closeError: conn.closeError,
    });
    if (conn.kind !== 'stdio' && conn.alive && isConnectionFailure(error)) conn.markBroken(described);
    return described;
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
        scope,
        stderr: this.stderr,
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
      this.readyAt = this.idle.lastActivity = Date.now();
      this.setState('ready');
      this.idle.arm();
      return conn;
    } catch (error) {
      const failure = describeStartFailure(error, this.server.name, abort.signal.aborted);
      if (abort.signal.aborted) throw failure;
      if (generation === this.generation) {
        this.recordFailure(failure);
        this.setState('failed', this.lastError);
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
    this.setState('failed', this.lastError);
    this.deps.logger.warn('downstream server stopped unexpectedly', { server: this.server.id, scope: this.scopeId, error: this.lastError });
    void conn.close(); // reaps what is left of the process tree
  }

  private recordFailure(error: GatewayError): void {
    const now = Date.now();
    if (this.readyAt !== 0 && now - this.readyAt >= this.deps.healthyAfterMs) this.failures = 0;
    this.readyAt = 0;
    this.failures++;
    this.lastError = this.redactor.redact(error.message);
    this.lastErrorAt = now;
    this.nextStartAt = now + restartDelay(this.failures, this.deps.backoff);
  }

  private consecutiveFailures(): number {
    if (this.state === 'ready' && this.readyAt !== 0 && Date.now() - this.readyAt >= this.deps.healthyAfterMs) this.failures = 0;
    return this.failures;
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
