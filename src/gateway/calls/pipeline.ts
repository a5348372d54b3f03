import { BUILTIN_NAMESPACE, BUILTIN_SERVER_ID, type DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { prepareArguments } from './arguments.js';
import { callBuiltinTool } from './builtin-tools.js';
import type { DownstreamPort, RelayHooks } from './downstream-port.js';
import type { RuntimeConfig } from './runtime-config.js';
import type { SessionView } from './session-view.js';

export interface ToolCallParams {
  name: string;
  arguments?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** The client side of a call: how progress, notifications and requests reach the client. */
export type ClientHooks = Omit<RelayHooks, 'timeoutMs'>;

const LEGACY_BUILTIN_PREFIX = 'mcplexer__';

/**
 * The one tool-call pipeline: name → owner → route and policy over the workspace chain →
 * arguments → credentials (the rule's auth scope) → downstream (with progress, cancellation and
 * a timeout) → result. Approval, caching and audit join here in later issues.
 */
export class CallPipeline {
  constructor(private readonly deps: { config: () => RuntimeConfig; downstream: DownstreamPort }) {}

  async callTool(session: SessionView, params: ToolCallParams, hooks: ClientHooks): Promise<Record<string, unknown>> {
    const config = this.deps.config();
    const name = params.name.startsWith(LEGACY_BUILTIN_PREFIX) ? `${BUILTIN_NAMESPACE}__${params.name.slice(LEGACY_BUILTIN_PREFIX.length)}` : params.name;
    const owner = this.owner(config, name);
    // Routed before anything else (the original's call order), so a name nobody offers is still
    // refused by a deny, exactly as dry-run reports it; only a call the route lets through learns
    // that the tool is unknown or its server disabled.
    const decision = config.router.decide(session.dir, name, { owner: owner?.server, readOnly: owner?.readOnly });
    if (decision.error_code === 'denied')
      throw new GatewayError('denied', `route denied by policy: rule ${decision.rule?.id ?? '(default)'} — ${decision.reason}`);
    if (decision.error_code === 'no_route') throw new GatewayError('no_route', `no route for "${name}": ${decision.reason}`);
    if (!owner)
      throw new GatewayError('unknown_tool', `unknown tool "${name}": no downstream server offers it (tools/list shows the tools this workspace can call)`);
    const { server, downstreamName } = owner;
    if (!server.enabled) throw new GatewayError('server_disabled', `downstream server "${server.name}" is disabled`);
    if (decision.error_code) throw new GatewayError('no_route', `no route for "${name}": ${decision.reason}`);
    if (decision.approval_required) {
      throw new GatewayError(
        'approval_required',
        `"${name}" requires approval (${decision.reason}); approvals are not available in this version of MCPlexer, so the call was not made`,
      );
    }
    const prepared = prepareArguments(params.arguments);
    if (server.id === BUILTIN_SERVER_ID) return callBuiltinTool(name, prepared.args, config, session);
    const timeoutMs = (server.call_timeout_sec ?? config.settings.call_timeout_sec) * 1000;
    return this.deps.downstream.callTool(
      decision.server ?? server,
      decision.auth_scope_id,
      { name: downstreamName, arguments: prepared.args, ...(params._meta ? { _meta: params._meta } : {}) },
      { ...hooks, timeoutMs },
    );
  }

  /** The server that offers `name` (discovered, or by its namespace), or undefined when none does. */
  private owner(config: RuntimeConfig, name: string): { server: DownstreamServer; downstreamName: string; readOnly: boolean | undefined } | undefined {
    const entry = config.catalog.tool(name);
    if (entry) return { server: entry.server, downstreamName: entry.downstreamName, readOnly: entry.readOnly };
    const owner = config.catalog.ownerOf(name);
    return owner ? { ...owner, readOnly: undefined } : undefined;
  }
}
