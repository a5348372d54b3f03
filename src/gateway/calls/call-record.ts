import type { CallMethod, CallStatus } from '../../shared/call-fields.js';
import type { DownstreamServer } from '../config/index.js';
import type { ChainTarget, Decision } from '../routing/index.js';
import type { ToolEntry } from './catalog.js';
import { routeTarget, type SessionView } from './session-view.js';

export type { CallMethod, CallStatus } from '../../shared/call-fields.js';

/**
 * What one call knows once it has settled: the pipeline's context while the call runs (each step
 * fills its part) and, at the end, what the `record` step hands the sink. It is the one object a
 * call allocates for its own bookkeeping: the steps write into it instead of returning objects,
 * and it holds references (the decision, the result, the forwarded arguments), never copies.
 * Consumers (audit, metrics) read it through `callRecordFields` off the hot path.
 */
export interface CallRecord {
  readonly method: CallMethod;
  /** When the call entered the pipeline: ms since the epoch, sub-ms precision. */
  readonly startedAt: number;
  readonly sessionId: string;
  /** The client's `clientInfo.name` (audit's `client_type`). */
  readonly clientName: string | undefined;
  /**
   * The model the client says it runs (audit's `model`): the request's `_meta["mcplexer/model"]`,
   * else the session's `X-MCPlexer-Model`; undefined when the client declares none (MCP has no
   * standard field for it).
   */
  model: string | undefined;
  /** The client's directory: selects the workspace chain; the subpath derives from it. */
  readonly dir: string | undefined;
  /** What the route step decides by: the session's folder set (multi-root), else `dir`. */
  readonly target: ChainTarget;
  /** The session's tool set (`X-MCPlexer-Servers`): server ids, or undefined for every server. */
  readonly servers: ReadonlySet<string> | undefined;
  /** What the client asked for: the tool or prompt name as sent (listed or full), or the resource URI. */
  readonly requested: string;

  // normalise
  /**
   * The full name routing matched: `namespace__tool`, `namespace__prompt`, `namespace__<the
   * server's own URI>` (or the server's own name/URI for an `expose_unprefixed` server).
   */
  name: string;
  /** The catalog's tool (tools/call of a discovered tool only). */
  entry: ToolEntry | undefined;
  /** The server that owns the name (discovered, or by its namespace), if any. */
  server: DownstreamServer | undefined;
  /** The name (or URI) the downstream knows it by. */
  downstreamName: string | undefined;
  /** Tools: the discovered `readOnlyHint`; resources, prompts and completion are reads (true). */
  readOnly: boolean | undefined;

  // route
  /** The route decision (frozen, shared with the router's cache): workspace, rule, server, auth scope. */
  decision: Decision | undefined;

  // arguments (tools/call): `calls/arguments.ts` writes these
  /** The arguments as forwarded: control fields taken out, JSON text parsed where the schema wants it. Not redacted. */
  args: Record<string, unknown> | undefined;
  /** `_cache_bust: true` was sent (the cache step's input; the field is never forwarded). */
  cacheBust: boolean;
  /** `_justification`, taken out of the arguments (the approval step's input). */
  justification: string | undefined;

  // approve
  /** The approval request this call waited for (set only when the decision asked for approval). */
  approvalId: string | undefined;

  // cache / call
  /** The result came from the tool-call cache (the cache step sets it on a hit). */
  cacheHit: boolean;
  /** The call reached the invocation step (built-in or downstream): a failure after it is never `blocked`. */
  invoked: boolean;
  /** The pool instance that served the call (audit's `downstream_instance_id`); undefined for a cache hit, a built-in, or a call no instance took. */
  instanceId: string | undefined;

  // record
  status: CallStatus;
  /**
   * Why it did not succeed: the `GatewayError` code (`denied`, `no_route`, `justification_required`,
   * `approval_denied`, `approval_timeout`, `unknown_tool`, `timeout`, `cancelled`, …), `tool_error` for a result with `isError: true`, or
   * the downstream's own JSON-RPC code as a string (e.g. the invalid-params code, as `"<code>"`).
   */
  errorCode: string | undefined;
  errorMessage: string | undefined;
  /** From entering the pipeline to settling, in ms (sub-ms precision). */
  latencyMs: number;
  /** The result as returned to the client (a reference: the consumer measures or redacts it off the hot path). */
  result: Record<string, unknown> | undefined;
}

/** Where settled call records go: audit and metrics plug in here (issue 17), through the composition root's `fanOutRecords`. */
export interface CallRecordSink {
  /**
   * Takes one settled record, once per call, synchronously, before the client gets its answer.
   * Must be O(1) and must not throw (append to a batch; do the work later). The record is not
   * modified after this call; keep the reference.
   */
  record(record: CallRecord): void;
}

/** The sink that keeps nothing. */
export const NO_RECORDS: CallRecordSink = Object.freeze({ record: () => undefined });

const { timeOrigin } = performance;

/** Epoch ms with sub-ms precision, from the monotonic clock. */
export const nowMs = (): number => timeOrigin + performance.now();

/** A new record for a call entering the pipeline; every field present, so all records share one shape. */
export function openRecord(method: CallMethod, session: SessionView, requested: string): CallRecord {
  return {
    method,
    startedAt: nowMs(),
    sessionId: session.id,
    clientName: session.clientName,
    model: session.modelHint,
    dir: session.dir,
    target: routeTarget(session),
    servers: session.servers,
    requested,
    name: requested,
    entry: undefined,
    server: undefined,
    downstreamName: undefined,
    readOnly: undefined,
    decision: undefined,
    args: undefined,
    cacheBust: false,
    justification: undefined,
    approvalId: undefined,
    cacheHit: false,
    invoked: false,
    instanceId: undefined,
    status: 'success',
    errorCode: undefined,
    errorMessage: undefined,
    latencyMs: 0,
    result: undefined,
  };
}
