import { Router } from 'express';
import { dryRunSchema, type DryRunResult } from '../../../shared/api.js';
import { isBuiltinTool, resolveToolName, type RuntimeConfig } from '../../calls/index.js';
import { compactPattern, parseBody, resolveWorkspace, type AuthScope, type RouteRule } from '../../config/index.js';
import { GatewayError } from '../../errors.js';
import type { Explanation } from '../../routing/index.js';

export { dryRunSchema };

const presentRule = (rule: RouteRule) => ({ ...rule, tool_pattern: compactPattern(rule.tool_pattern) });

function presentScope(scope: AuthScope | undefined) {
  if (!scope) return undefined;
  return { id: scope.id, name: scope.name, type: scope.type, oauth_status: scope.type === 'oauth2' ? 'none' : 'not_applicable' };
}

/**
 * The original's dry-run fields, plus `workspace`, `chain`, `reason`, `approval_required`, and
 * `tool_name` (the full name that was routed) when it differs from the name asked about.
 */
export function presentExplanation(explanation: Explanation, scopes: readonly AuthScope[], routed?: { asked: string; name: string }): DryRunResult {
  const scope = scopes.find((s) => s.id === explanation.auth_scope_id);
  return {
    ...(routed && routed.name !== routed.asked ? { tool_name: routed.name } : {}),
    matched: explanation.matched,
    policy: explanation.policy,
    ...(explanation.rule ? { matched_rule: presentRule(explanation.rule) } : {}),
    ...(explanation.server && !explanation.error_code ? { downstream_server: explanation.server } : {}),
    ...(explanation.auth_scope_id ? { auth_scope_id: explanation.auth_scope_id, auth_scope: presentScope(scope) } : {}),
    approval_required: explanation.approval_required,
    ...(explanation.approval_timeout_sec ? { approval_timeout_sec: explanation.approval_timeout_sec } : {}),
    ...(explanation.error_code ? { error_code: explanation.error_code } : {}),
    workspace: explanation.workspace,
    chain: [...explanation.chain],
    reason: explanation.reason,
    candidate_rules: explanation.candidate_rules.map((c) => ({
      ...presentRule(c.rule),
      evaluated_in: c.workspace_id,
      subpath: c.subpath,
      matched: c.matched,
      decided: c.decided,
      ...(c.mismatch ? { mismatch: c.mismatch } : {}),
      note: c.note,
    })),
  };
}

/**
 * POST /dry-run: the decision a real call would get, with its trace; nothing is called. The name
 * goes through the same normalising step as a real call (`resolveToolName`: the legacy
 * `mcplexer__` prefix, listed names), so the two cannot disagree.
 * @throws GatewayError `validation_failed` (400: `workspace_id`/`tool_name` missing or empty, an
 *   unknown field), `not_found` (404: unknown workspace), `conflict` (409: a workspace name that
 *   several workspaces have)
 */
export function dryRunRouter(config: () => RuntimeConfig): Router {
  const router = Router();
  router.post('/', (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && !Array.isArray(body) && (body.workspace_id === undefined || body.tool_name === undefined)) {
      throw new GatewayError('validation_failed', 'workspace_id and tool_name are required', {
        details: ['workspace_id', 'tool_name'].filter((k) => body[k] === undefined).map((path) => ({ path, message: 'is required' })),
      });
    }
    const input = parseBody(dryRunSchema, body);
    const current = config();
    // `workspace_id` may also be the workspace's name or root path, as everywhere else.
    const workspace = resolveWorkspace(current.state.workspaces, input.workspace_id);
    const chain = current.router.chainForWorkspace(workspace.id, input.subpath);
    const target = resolveToolName(current.catalog, input.tool_name);
    let explanation = current.router.explain(chain, target.name, { owner: target.server, readOnly: target.readOnly });
    // The built-in server is the gateway itself: a name it lacks is refused by the call (invoke), so here too.
    if (explanation.server?.transport === 'internal' && !explanation.error_code && !isBuiltinTool(target.name))
      explanation = { ...explanation, error_code: 'unknown_tool', reason: `${explanation.reason}; but the gateway has no built-in tool "${target.name}"` };
    res.json(presentExplanation(explanation, current.state.auth_scopes, { asked: input.tool_name, name: target.name }));
  });
  return router;
}
