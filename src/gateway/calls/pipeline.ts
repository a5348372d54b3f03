import { ApprovalService, MemoryApprovalStore } from '../approvals/index.js';
import type { ToolCallCache } from '../cache/index.js';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { prepareArguments } from './arguments.js';
import type { BuiltinServices } from './builtin-tools.js';
import { takeDeclaredModel } from './declared-model.js';
import { NO_RECORDS, openRecord, type CallMethod, type CallRecord, type CallRecordSink } from './call-record.js';
import type { DownstreamPort, RelayHooks, ToolCallParams } from './downstream-port.js';
import { mapReadResult } from './resource-uri.js';
import type { RuntimeConfig } from './runtime-config.js';
import type { SessionView } from './session-view.js';
import { approve, TOOL_RESULT_REFUSALS } from './steps/approve.js';
import { throughCache } from './steps/cache.js';
import { rememberResourceLinks } from './resource-links.js';
import { invokeRequest, invokeTool } from './steps/invoke.js';
import { normaliseCompletionRef, normalisePrompt, normaliseResource, normaliseTool, type CompletionRef } from './steps/normalise.js';
import { recordError, recordRefusal, recordResult } from './steps/record.js';
import { route, unknownName } from './steps/route.js';
import { routeAgain } from './steps/route-again.js';

type Result = Record<string, unknown>;
/** A client request's params (`_meta` carries its progress token). */
type Params = Record<string, unknown> & { _meta?: Record<string, unknown> };

/**
 * The client side of a call: how progress, notifications and requests reach the client. The
 * pipeline sets `timeoutMs`; a hooks object belongs to one call.
 */
export type ClientHooks = RelayHooks;

export interface PipelineDependencies {
  config: () => RuntimeConfig;
  downstream: DownstreamPort;
  /** Where settled call records go (audit and metrics later); default `NO_RECORDS`. */
  records?: CallRecordSink;
  /** Pending approvals (the approve step's); default: a service of its own over a `MemoryApprovalStore`. */
  approvals?: ApprovalService;
  /** Reports a sink that threw (it must not). */
  logger?: Logger;
  /** The tool-call result cache (the cache step and `mcpx__flush_cache`); none: nothing is cached. */
  cache?: ToolCallCache;
}

/**
 * The one call pipeline, as named steps (`steps/`, README.md): normalise → route → approve →
 * cache → invoke → record. Every client request that makes a call goes through it: tools/call on
 * every path (the lean path, the SDK path, the 2026 era, the stdio bridge, the `mcpx` built-ins)
 * and resources/read, prompts/get and completion/complete, which are routed like a tool of their
 * name. Each call settles exactly one `CallRecord`, handed to the sink whatever the outcome.
 */
export class CallPipeline {
  private readonly records: CallRecordSink;
  readonly approvals: ApprovalService;
  /** What the built-in tools reach: the downstream port, the cache, the approvals. */
  private readonly services: BuiltinServices & { downstream: DownstreamPort };
  /** Calls between entering the pipeline and settling (drain waits for 0). */
  private active = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: PipelineDependencies) {
    this.records = deps.records ?? NO_RECORDS;
    this.approvals = deps.approvals ?? new ApprovalService(new MemoryApprovalStore(), deps.logger);
    this.services = { downstream: deps.downstream, cache: deps.cache, approvals: this.approvals };
  }

  /** Calls in flight on every path (tools, resources, prompts, completion). */
  get inFlight(): number {
    return this.active;
  }

  /** Resolves once no call is in flight (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settled(): void {
    this.active -= 1;
    if (this.active > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * tools/call. Resolves to the result as the downstream (or the built-in) returned it; a result
   * with `isError: true` is a result, not a throw.
   *
   * @param hooks the client's relay for this call (its `timeoutMs` is set here)
   * A refused approval (denied, timed out, justification missing) is a tool result with
   * `isError: true`, as the original answers it, recorded as `blocked`.
   *
   * @throws GatewayError `denied`, `no_route`, `unknown_tool`, `server_disabled`, `cancelled` (while
   *   waiting for approval) (before the call); `invalid_params` (a built-in's arguments);
   *   `downstream_error` (the downstream's JSON-RPC error as `cause`), `downstream_unavailable`,
   *   `timeout`, `cancelled`
   */
  async callTool(session: SessionView, params: ToolCallParams, hooks: ClientHooks): Promise<Result> {
    const record = openRecord('tools/call', session, params.name);
    this.active += 1;
    try {
      if (params._meta !== undefined) takeDeclaredModel(params._meta, record);
      let config = this.deps.config();
      normaliseTool(config.catalog, params.name, record);
      // Before routing: a call the route refuses is audited with what it asked (redacted), too.
      prepareArguments(params.arguments, record.entry?.coercible, record);
      const decision = route(config, record);
      if (decision.approval_required) {
        await approve(this.approvals, config, record, decision, hooks, this.deps.logger);
        config = routeAgain(config, this.deps.config(), record, (now) => {
          normaliseTool(now.catalog, params.name, record);
          prepareArguments(params.arguments, record.entry?.coercible, record);
          route(now, record);
        });
      }
      const result = await throughCache(this.deps.cache, record, hooks, () => invokeTool(config, this.services, session, record, params._meta, hooks));
      rememberResourceLinks(session.linkedResources, record.decision?.server ?? record.server, result);
      return recordResult(this.records, this.deps.logger, record, result);
    } catch (error) {
      if (!record.invoked && error instanceof GatewayError && TOOL_RESULT_REFUSALS.has(error.code))
        return recordRefusal(this.records, this.deps.logger, record, error);
      throw recordError(this.records, this.deps.logger, record, error);
    } finally {
      this.settled();
    }
  }

  /**
   * resources/read of a client URI (`mcplexer://<namespace>/<uri>`, or an unprefixed server's
   * own); the result's content URIs come back in the client's form.
   *
   * @throws GatewayError `denied`, `no_route`, `not_found` (no server owns the URI), `server_disabled`,
   *   the approval's refusals (`approval_denied`, `approval_timeout`, `justification_required`,
   *   `cancelled`: no tool result to carry them), and the downstream's errors as `callTool`
   */
  readResource(session: SessionView, params: Params, hooks: ClientHooks): Promise<Result> {
    return this.request('resources/read', session, String(params.uri), params._meta, hooks, (config, record) => {
      normaliseResource(config, record.requested, record, 'uri', session.linkedResources);
      return { ...params, uri: record.downstreamName };
    });
  }

  /**
   * prompts/get by listed or full name.
   *
   * @throws GatewayError `denied`, `no_route`, `invalid_params` (unknown prompt), `server_disabled`,
   *   the approval's refusals as `readResource`, and the downstream's errors as `callTool`
   */
  getPrompt(session: SessionView, params: Params, hooks: ClientHooks): Promise<Result> {
    return this.request('prompts/get', session, String(params.name), params._meta, hooks, (config, record) => {
      normalisePrompt(config.catalog, record.requested, record);
      return { ...params, name: record.downstreamName };
    });
  }

  /**
   * completion/complete for a prompt's argument (`ref/prompt`) or a resource template's
   * (`ref/resource`), routed as that prompt or resource.
   *
   * @throws GatewayError `invalid_params` (another ref type, unknown prompt), and as `getPrompt` / `readResource`
   */
  complete(session: SessionView, params: Params, hooks: ClientHooks): Promise<Result> {
    const ref = (params.ref ?? {}) as CompletionRef;
    return this.request('completion/complete', session, String(ref.name ?? ref.uri), params._meta, hooks, (config, record) => ({
      ...params,
      ref: normaliseCompletionRef(config, ref, record),
    }));
  }

  /**
   * Where resources/subscribe and resources/unsubscribe of a client URI go: the server, the URI it
   * knows, and the auth scope a resources/read of it would use. A subscribe is refused as a read
   * would be; an unsubscribe never is (it only ends something), so a rule added in between cannot
   * keep a subscription alive. Not recorded (no call is made for the client).
   *
   * @throws GatewayError as `readResource`'s routing (`denied`, `no_route`, `not_found`, `server_disabled`);
   *   for `unsubscribe` only `not_found`
   */
  subscription(session: SessionView, uri: string, intent: 'subscribe' | 'unsubscribe'): { server: DownstreamServer; scopeId: string | null; uri: string } {
    const config = this.deps.config();
    const record = openRecord('resources/read', session, uri);
    normaliseResource(config, uri, record, 'uri', session.linkedResources);
    if (intent === 'subscribe') route(config, record);
    else if (!record.server || record.downstreamName === undefined) throw unknownName(record);
    else record.decision = config.router.decide(record.target, record.name, { owner: record.server, readOnly: true });
    return { server: record.decision?.server ?? record.server!, scopeId: record.decision?.auth_scope_id ?? null, uri: record.downstreamName! };
  }

  /** normalise (by `prepare`, which also builds the downstream's params) → route → approve → invoke → record (the cache is for tool calls). */
  private async request(
    method: CallMethod,
    session: SessionView,
    requested: string,
    meta: unknown,
    hooks: ClientHooks,
    prepare: (config: RuntimeConfig, record: CallRecord) => Result,
  ): Promise<Result> {
    const record = openRecord(method, session, requested);
    this.active += 1;
    try {
      if (meta !== undefined) takeDeclaredModel(meta, record);
      let config = this.deps.config();
      let forwarded = prepare(config, record);
      const decision = route(config, record);
      if (decision.approval_required) {
        await approve(this.approvals, config, record, decision, hooks, this.deps.logger);
        config = routeAgain(config, this.deps.config(), record, (now) => {
          forwarded = prepare(now, record);
          route(now, record);
        });
      }
      let result = await invokeRequest(config, this.deps.downstream, record, forwarded, hooks);
      if (method === 'resources/read') result = mapReadResult(record.decision?.server ?? record.server!, result);
      else if (method === 'prompts/get') rememberResourceLinks(session.linkedResources, record.decision?.server ?? record.server, result);
      return recordResult(this.records, this.deps.logger, record, result);
    } catch (error) {
      throw recordError(this.records, this.deps.logger, record, error);
    } finally {
      this.settled();
    }
  }
}
