import { BUILTIN_SERVER_ID } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { prepareArguments } from './arguments.js';
import { callBuiltinTool } from './builtin-tools.js';
import type { DownstreamPort, RelayHooks } from './downstream-port.js';
import { resolveToolName } from './resolve-name.js';
import type { RuntimeConfig } from './runtime-config.js';
import type { SessionView } from './session-view.js';

export interface ToolCallParams {
  name: string;
  arguments?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** The client side of a call: how progress, notifications and requests reach the client. */
export type ClientHooks = Omit<RelayHooks, 'timeoutMs'>;

/**
 * The one tool-call pipeline: name (normalised by `resolveToolName`, exactly as dry-run does) →
 * owner → route and policy over the workspace chain → arguments (JSON text parsed only where the
 * tool's schema wants an object or array) → credentials (the rule's auth scope) → downstream (with progress, cancellation and
 * a timeout) → result. Approval, caching and audit join here in later issues.
 */
export class CallPipeline {
  constructor(private readonly deps: { config: () => RuntimeConfig; downstream: DownstreamPort }) {}

  async callTool(session: SessionView, params: ToolCallParams, hooks: ClientHooks): Promise<Record<string, unknown>> {
    const config = this.deps.config();
    const target = resolveToolName(config.catalog, params.name);
    const { name, server, downstreamName } = target;
    // Routed before anything else (the original's call order), so a name nobody offers is still
    // refused by a deny, exactly as dry-run reports it; only a call the route lets through learns
    // that the tool is unknown or its server disabled.
    const decision = config.router.decide(session.dir, name, { owner: server, readOnly: target.readOnly });
    if (decision.error_code === 'denied')
      throw new GatewayError('denied', `route denied by policy: rule ${decision.rule?.id ?? '(default)'} — ${decision.reason}`);
    if (decision.error_code === 'no_route') throw new GatewayError('no_route', `no route for "${name}": ${decision.reason}`);
    if (!server || downstreamName === undefined)
      throw new GatewayError('unknown_tool', `unknown tool "${name}": no downstream server offers it (tools/list shows the tools this workspace can call)`);
    if (!server.enabled) throw new GatewayError('server_disabled', `downstream server "${server.name}" is disabled`);
    if (decision.error_code) throw new GatewayError('no_route', `no route for "${name}": ${decision.reason}`);
    if (decision.approval_required) {
      throw new GatewayError(
        'approval_required',
        `"${name}" requires approval (${decision.reason}); approvals are not available in this version of MCPlexer, so the call was not made`,
      );
    }
    const prepared = prepareArguments(params.arguments, target.entry?.coercible);
    if (server.id === BUILTIN_SERVER_ID) return callBuiltinTool(name, prepared.args, config, session);
    const timeoutMs = (server.call_timeout_sec ?? config.settings.call_timeout_sec) * 1000;
    return this.deps.downstream.callTool(
      decision.server ?? server,
      decision.auth_scope_id,
      { name: downstreamName, arguments: prepared.args, ...(params._meta ? { _meta: params._meta } : {}) },
      { ...hooks, timeoutMs },
    );
  }
}
