/** Public types of the downstream pool. Plain data: nothing here knows about the config store. */
import type { InstanceHealth, InstanceState } from '../../shared/api.js';
import type { Logger } from '../log.js';
import type { GroupRegistry } from './group-registry.js';

/**
 * Lifecycle state of one instance (one server + auth scope), in the dashboard's vocabulary.
 * `busy` is `ready` with calls in flight; `idle` means stopped by its idle timer (it starts again
 * on the next call); `stopped` means never started or stopped on request; `failed` means the last
 * start failed or the process died, and the next call restarts it after the backoff delay.
 */
export type { InstanceState };

/** How an instance talks to its server. */
export type TransportKind = NonNullable<InstanceHealth['transport']>;

/** An auth scope's values, already decrypted: env vars for stdio children, headers for HTTP servers. */
export interface ScopeValues {
  env: Record<string, string>;
  headers: Record<string, string>;
  /** An OAuth scope's token for an HTTP server, read on every request (see bearer-fetch.ts). */
  bearer?: BearerSource;
}

/** The `Authorization` value per request, and one retry after a 401 (oauth/ provides it). */
export interface BearerSource {
  current(): Promise<string | undefined>;
  /** The server answered 401 to `rejected`: the value to retry with once, or undefined. */
  refreshAfter401(rejected: string): Promise<string | undefined>;
}

/** Resolves an auth scope id to its values; called once per instance start, never per call. */
export type ScopeResolver = (scopeId: string) => ScopeValues | Promise<ScopeValues>;

/** A progress update from the downstream, without its progress token (the caller has its own). */
export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
  [key: string]: unknown;
}

/** A notification or request from a downstream server, as it arrived. */
export interface DownstreamMessage {
  method: string;
  params?: Record<string, unknown>;
}

/** A server→client request (sampling, elicitation, roots) routed to the call it belongs to. */
export interface DownstreamRequest extends DownstreamMessage {
  /** Aborted when the downstream cancels the request or its connection closes. */
  signal: AbortSignal;
}

/** Per-call options. Only `timeoutMs` is required; callbacks are optional and cost nothing when absent. */
export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * An opaque key of the client session the call is made for. Server→client messages that carry
   * no progress token are attributed by it: see README "Routing without related-request ids".
   * Calls without one (discovery) are the gateway's own and never receive such messages.
   */
  owner?: string;
  /**
   * What the calling client declared (`clientCapabilityKey` of its `initialize` capabilities;
   * default none). Part of the instance key: the instance advertises exactly this set downstream.
   */
  clientCapabilities?: string;
  /** Hard cap for calls whose timeout is reset by progress notifications. */
  maxTotalTimeoutMs?: number;
  /** Progress of this call. Asking for it gives the downstream a progress token of its own. */
  onProgress?(progress: ProgressUpdate): void;
  /** Per-call notifications (logging and others) attributed to this call: its owner's latest call in flight. */
  onNotification?(notification: DownstreamMessage): void;
  /**
   * Server→client requests attributed to this call (as notifications are); resolves to the
   * client's answer. While one waits, the call's timeout stops (call-clock.ts).
   */
  onServerRequest?(request: DownstreamRequest): Promise<Record<string, unknown>>;
  /**
   * How long one of those requests may wait for the client (ms): the person's time, which the
   * call's timeout no longer bounds. Absent: as long as the request is not withdrawn.
   */
  clientWaitMs?: number;
  /**
   * Set by the pool when it hands the call to an instance (synchronously, before the request
   * goes out): that instance's `id`. Read by the caller for its record; undefined if no instance took it.
   */
  instanceId?: string;
}

/** `tools/call` params as the client sent them (the pool adds nothing but its own progress token). */
export interface ToolCallParams {
  name: string;
  arguments?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A result exactly as the downstream returned it. */
export type DownstreamResult = Record<string, unknown>;

/** Everything `discover` read: every page of each list the server declared. */
export interface Discovered {
  /**
   * The server's `instructions` from its initialize result, as sent (MCP 2025-11-25 Lifecycle ›
   * Initialization: how to use the server's tools, for the model); absent when it gave none.
   */
  instructions?: string;
  tools: Record<string, unknown>[];
  resources: Record<string, unknown>[];
  resource_templates: Record<string, unknown>[];
  prompts: Record<string, unknown>[];
}

// One instance's health as the REST API shows it: the wire type (src/shared/schemas/health.ts).
export type { InstanceHealth };

export interface ServerHealth {
  server_id: string;
  state: InstanceState;
  instances: InstanceHealth[];
  last_error?: string;
  last_error_at?: string;
  consecutive_failures: number;
  stderr_tail: string[];
  /** Stdio: lines on stdout that are not JSON-RPC (their count, the newest of them); absent when there were none. */
  stdout_not_jsonrpc?: { count: number; tail: string[] };
}

export interface InstanceRef {
  server_id: string;
  scope_id: string | null;
}

/** Events of the pool (an `EventEmitter`). */
export interface PoolEvents {
  /**
   * A notification no call owns (list_changed, resources/updated, logging with no client call in
   * flight). For `notifications/resources/updated`, `subscribers` holds the owners subscribed to
   * that URI on the instance that sent it (empty for other kinds).
   */
  notification: [event: InstanceRef & { notification: DownstreamMessage; subscribers: string[] }];
  /** The server sent `notifications/tools/list_changed` (also emitted as `notification`). */
  tools_changed: [event: InstanceRef];
  /** A lifecycle transition (busy/ready flips per call are not reported). */
  state: [event: InstanceRef & { state: InstanceState; error?: string }];
}

export interface PoolOptions {
  /** Turns an auth scope id into its decrypted values; without it every scope is empty. */
  resolveScope?: ScopeResolver;
  logger?: Logger;
  clientInfo?: { name: string; version: string };
  /** The gateway's environment, the base of every child's env (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Home directory used for the user bin dirs added to PATH (default `os.homedir()`). */
  homeDir?: string;
  /**
   * Spawn/connect + initialize must finish within this (ms; default 15 s); past it the instance is
   * `failed`. A function is read at each start (the gateway passes the setting `start_timeout_sec`).
   */
  startTimeoutMs?: number | (() => number);
  /**
   * The most one message a server may send (bytes, default 32 MiB): a stdio line, an HTTP JSON body
   * or SSE event. A bigger one fails its call (stdio: the calls in flight, and the server is stopped).
   * A function is read at each chunk (setting `max_message_bytes`).
   */
  maxMessageBytes?: number | (() => number);
  /** Records the process groups of stdio children (in the data dir), so a later gateway can reap them. */
  groups?: GroupRegistry;
  /** SIGTERM → SIGKILL grace when stopping a process tree (default 3 s). */
  stopGraceMs?: number;
  /** How long a stop waits for calls in flight before cutting them off (default 5 s). */
  drainTimeoutMs?: number;
  /** stderr lines kept per instance (default 200). */
  stderrLines?: number;
  /** A connection that stayed up this long resets the failure count (default 60 s). */
  healthyAfterMs?: number;
  /**
   * A connection that answered a call successfully and stayed up this long (ms, default 1,000) has
   * started well, so its crash resets the failure count too (supervisord's `startsecs`): a server
   * that crashes now and then is restarted at once, not backed off as a crash loop.
   */
  servedUpMs?: number;
  /** Restart backoff: 0, base, 2·base, … capped at max (default 500 ms, 30 s). */
  backoff?: { baseMs: number; maxMs: number };
}
