/** One live MCP connection to a downstream server (spawn/connect, initialize, SDK client, calls in flight, close); used once. */
import { existsSync } from 'node:fs';
import {
  SSEClientTransport,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  StreamableHTTPClientTransport,
  type Client,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { bearerFetch } from './bearer-fetch.js';
import { CallRegistry } from './call-registry.js';
import { buildChildEnv, expandHeaders } from './child-env.js';
import type { ClientCapabilityKey } from './client-capabilities.js';
import { createDownstreamClient } from './client-factory.js';
import { describeExit, describeStartError, type FailureContext } from './describe-error.js';
import { isNotFound } from './describe-http.js';
import { LeanRequests } from './lean-requests.js';
import { HttpMessageLimit } from './message-limit-fetch.js';
import type { GroupRegistry } from './group-registry.js';
import type { StderrRing } from './stderr-ring.js';
import type { StdoutNoise } from './stdout-noise.js';
import { StdioChildTransport } from './stdio-transport.js';
import type { DownstreamMessage, ScopeValues, TransportKind } from './types.js';
import { userBinDirs } from './user-bin-dirs.js';

export interface OpenOptions {
  server: DownstreamServer;
  /** The auth scope's id (null: none), named in credential errors. */
  scopeId: string | null;
  scope: ScopeValues;
  stderr: StderrRing;
  stdoutNoise?: StdoutNoise; // stdio: stdout lines that are not JSON-RPC (their summary joins the failures)
  clientInfo: { name: string; version: string };
  gatewayEnv: Record<string, string | undefined>;
  homeDir: string;
  startTimeoutMs: number;
  /** Aborts the start (the instance was stopped meanwhile): initialize gives up and the child is killed. */
  signal?: AbortSignal;
  stopGraceMs: number;
  /** The most one message from a server may hold (bytes; setting `max_message_bytes`). */
  maxMessageBytes: () => number;
  /** Where stdio children's process groups are recorded (optional). */
  groups?: GroupRegistry;
  /** The client capabilities this connection declares downstream (its instance's key). */
  clientCapabilities: ClientCapabilityKey;
  onUnrouted(notification: DownstreamMessage): void;
  /** A per-call notification relayed to nobody: calls of several client sessions were in flight. */
  onUnattributed(notification: DownstreamMessage): void;
  onCallbackError(error: unknown, method: string): void;
  onTransportError(error: Error): void;
}

export class Connection {
  /** `initializing` until initialize completes; `closed` once it closed, by request or not. */
  phase: 'initializing' | 'open' | 'closed' = 'initializing';
  /** Set when the connection closed by itself: the error its calls in flight fail with. */
  closeError?: GatewayError;
  /** Called once when the connection closes without being asked to. */
  onUnexpectedClose?: (error: GatewayError) => void;
  /** Called each time the last call in flight finishes (used by drain). */
  onDrained?: () => void;
  /** Stdio on a 2025-era session: requests without progress skip the SDK client (lean-requests.ts). */
  lean?: LeanRequests;
  readonly startedAt = Date.now();
  private closing?: Promise<void>;

  constructor(
    readonly client: Client,
    readonly transport: Transport,
    readonly kind: TransportKind,
    readonly registry: CallRegistry,
    private readonly failure: () => FailureContext,
  ) {}

  /** True while calls may use it. */
  get alive(): boolean {
    return this.phase === 'open';
  }

  get pid(): number | undefined {
    return this.transport instanceof StdioChildTransport ? this.transport.pid : undefined;
  }

  /** Closes on request: the SDK client, then the transport (for stdio, the whole process tree); calls in flight fail with `reason`. */
  close(reason?: GatewayError): Promise<void> {
    if (!this.closing) {
      this.phase = 'closed';
      this.closeError ??= reason;
      this.closing = this.shutdown();
    }
    return this.closing;
  }

  /** Resolves when no call is in flight, or after `ms`. */
  drained(ms: number): Promise<void> {
    if (this.registry.size === 0 || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const previous = this.onDrained;
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.onDrained = previous;
        resolve();
      }
      this.onDrained = done;
    });
  }

  /** Called by the transport's onclose: an unrequested close of an open connection is a crash. */
  handleClosed(): void {
    this.lean?.closeAll();
    if (this.phase !== 'open') {
      this.phase = 'closed'; // during initialize: the start fails (see initialize())
      return;
    }
    this.phase = 'closed';
    this.closeError = describeExit(this.failure());
    this.onUnexpectedClose?.(this.closeError);
  }

  /**
   * True when `error` ends this connection's session: HTTP 404 to a request that carried its
   * `Mcp-Session-Id`, which the server did not run (MCP 2025-11-25, Transports → Streamable HTTP →
   * Session Management: the client MUST start a new session with a new InitializeRequest).
   */
  sessionExpiredBy(error: unknown): boolean {
    return this.transport instanceof StreamableHTTPClientTransport && this.transport.sessionId !== undefined && isNotFound(error);
  }

  /**
   * Takes no new calls, and closes once the calls already sent finish (each is bounded by its own
   * timeout): they may have run, so they are left to answer or fail on their own.
   */
  retire(): void {
    if (this.phase !== 'open') return;
    this.phase = 'closed';
    if (this.registry.size === 0) void this.close();
    else this.onDrained = () => void this.close();
  }

  /** Marks an HTTP connection unusable after a call saw it fail (session gone, network down). */
  markBroken(error: GatewayError): void {
    if (this.phase !== 'open') return;
    this.phase = 'closed';
    this.closeError = error;
    this.onUnexpectedClose?.(error);
    void this.close();
  }

  private async shutdown(): Promise<void> {
    if (this.transport instanceof StreamableHTTPClientTransport) {
      await withTimeout(this.transport.terminateSession(), 1000).catch(() => undefined); // best effort: the session dies with us anyway
    }
    await this.client.close().catch(() => undefined); // already closed is fine
    await this.transport.close().catch(() => undefined); // idempotent; errors here cannot be acted on
  }
}

/** spawn/connect → initialize. Resolves with a ready connection or rejects with a hinted GatewayError. */
export async function openConnection(options: OpenOptions): Promise<Connection> {
  const { server } = options;
  if (server.transport === 'stdio') return openStdio(options);
  if (server.transport === 'http') return openHttp(options);
  throw new GatewayError('internal', `downstream server "${server.name}" uses transport "${server.transport}", which the pool does not run`);
}

async function openStdio(options: OpenOptions): Promise<Connection> {
  const { server } = options;
  options.stderr.mark(); // a new process: its failures quote only what it writes
  options.stdoutNoise?.mark();
  const target = [server.command ?? '', ...server.args].join(' ').trim();
  if (!server.command) throw new GatewayError('downstream_unavailable', `downstream server "${server.name}" has no command to run`);
  if (server.cwd && !existsSync(server.cwd)) {
    throw new GatewayError('downstream_unavailable', `downstream server "${server.name}" failed to start: its working directory ${server.cwd} does not exist`);
  }
  const env = buildChildEnv({
    gatewayEnv: options.gatewayEnv,
    serverEnv: server.env,
    scopeEnv: options.scope.env,
    extraPathDirs: userBinDirs(options.homeDir, options.gatewayEnv),
  });
  const transport = new StdioChildTransport({ command: server.command, args: server.args, cwd: server.cwd, env }, options.stderr, {
    graceMs: options.stopGraceMs,
    maxMessageBytes: options.maxMessageBytes,
    groups: options.groups,
    noise: options.stdoutNoise,
  });
  const handshake: Handshake = {};
  const failure = (): FailureContext => ({
    name: server.name,
    target,
    exit: transport.exit,
    oversize: transport.oversize,
    initializeResult: handshake.result,
    stderr: options.stderr.excerpt(),
    stdoutNoise: options.stdoutNoise?.summary(),
  });
  try {
    return await initialize(options, transport, 'stdio', failure, handshake);
  } catch (error) {
    await transport.close().catch(() => undefined); // cleanup: the start error is the one to report
    throw describeStartError(error, failure(), options.startTimeoutMs);
  }
}

async function openHttp(options: OpenOptions): Promise<Connection> {
  const { server } = options;
  if (!server.url) throw new GatewayError('downstream_unavailable', `downstream server "${server.name}" has no URL`);
  const url = new URL(server.url);
  const headers = { ...expandHeaders(server.headers, options.gatewayEnv), ...options.scope.headers };
  const handshake: Handshake = {};
  const http = { url: server.url, scopeId: options.scopeId };
  const limit = new HttpMessageLimit(server.name, options.maxMessageBytes);
  const failure = (): FailureContext => ({
    name: server.name,
    target: server.url!,
    http,
    initializeResult: handshake.result,
    oversize: limit.streamOversize,
    stderr: '',
  });
  // An OAuth scope's token is set on each request, so a refreshed one needs no new connection.
  const fetchFn = limit.wrap(options.scope.bearer ? bearerFetch(options.scope.bearer) : (input, init) => fetch(input, init));
  const streamable = new StreamableHTTPClientTransport(url, { requestInit: { headers }, fetch: fetchFn });
  limit.onStreamOversize = () => void streamable.close();
  try {
    return await initialize(options, streamable, 'streamable_http', failure, handshake);
  } catch (error) {
    await streamable.close().catch(() => undefined); // cleanup: the start error is the one to report
    // Only a refused initialize POST means "no Streamable HTTP here"; an answered one does not (e.g. 404 on its session).
    if (handshake.result !== undefined || !refusesStreamableHttp(error)) throw describeStartError(error, failure(), options.startTimeoutMs);
  }
  const sse = new SSEClientTransport(url, { requestInit: { headers }, fetch: fetchFn });
  limit.onStreamOversize = () => void sse.close();
  try {
    return await initialize(options, sse, 'sse', failure, handshake);
  } catch (error) {
    await sse.close().catch(() => undefined); // cleanup: the start error is the one to report
    throw describeStartError(error, failure(), options.startTimeoutMs);
  }
}

/** A 4xx to the initial POST means "not a Streamable HTTP endpoint"; 401/403 are about credentials. */
function refusesStreamableHttp(error: unknown): boolean {
  if (!(error instanceof SdkHttpError)) return false;
  const status = error.status;
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403;
}

/** What the server answered to initialize, kept for the start error: the SDK's own error does not carry it. */
interface Handshake {
  result?: unknown;
}

async function initialize(
  options: OpenOptions,
  transport: Transport,
  kind: TransportKind,
  failure: () => FailureContext,
  handshake: Handshake,
): Promise<Connection> {
  const registry = new CallRegistry(options.onUnrouted, options.onCallbackError, options.onUnattributed);
  const client = createDownstreamClient(options.clientInfo, registry, options.clientCapabilities);
  const connection = new Connection(client, transport, kind, registry, failure);
  // Installed before connect: the SDK keeps these and calls them ahead of its own dispatch.
  transport.onmessage = (message: JSONRPCMessage) => {
    if (connection.phase === 'initializing' && 'result' in message) handshake.result = message.result; // only initialize is answered before open
    registry.onIncoming(message);
  };
  transport.onclose = () => connection.handleClosed();
  transport.onerror = options.onTransportError;
  const send = transport.send.bind(transport);
  transport.send = (message, sendOptions) => {
    registry.noteOutgoing(message);
    return send(message, sendOptions);
  };
  await client.connect(transport, { timeout: options.startTimeoutMs, signal: options.signal });
  // A server that answered initialize and died at once: a start failure, not a crash.
  if (connection.phase === 'closed') throw new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed');
  if (transport instanceof StdioChildTransport && client.getProtocolEra() === 'legacy') {
    const lean = new LeanRequests((message) => transport.send(message)); // the wrapped send: the registry sees it
    transport.intercept = (message) => lean.take(message);
    connection.lean = lean;
  }
  connection.phase = 'open';
  return connection;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);
}
