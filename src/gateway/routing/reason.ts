import { GLOBAL_WORKSPACE_ID, rulePatterns, type DefaultPolicy, type DownstreamServer, type RouteRule, type Workspace } from '../config/index.js';
import { workspaceLabel, type CompiledConfig, type CompiledRule, type RuleMismatch } from './compile.js';
import type { WorkspaceChain } from './resolve-chain.js';

/** The server found for a routed call, or what was missing when none was. */
export interface ServerLookup {
  readonly server: DownstreamServer | undefined;
  readonly missing?: { readonly kind: 'rule_server' | 'namespace' | 'no_namespace'; readonly id?: string };
}

/**
 * `denied by rule "block-writes" (id r2) in workspace "proj" (/home/u/proj): it matches path "**",
 * tool "fs__write*", priority 100`; allows say `allowed` and whether approval applies. The labels
 * come precompiled with the config, and decisions are cached, so this runs once per (chain, tool).
 */
export function ruleReason(
  compiled: CompiledConfig,
  workspace: Workspace,
  compiledRule: CompiledRule,
  readOnly: boolean | undefined,
  approvalRequired: boolean,
  lookup: ServerLookup | undefined,
  toolName: string,
): string {
  const rule = compiledRule.rule;
  const where = `${compiledRule.label} in ${labelOf(compiled, workspace)}: it matches path "${rule.path_glob}", ${patternsText(rule)}, priority ${rule.priority}`;
  if (rule.policy === 'deny') return `denied by ${where}`;
  return `${approvalText(rule, readOnly, approvalRequired)} by ${where}${missingText(lookup, toolName)}`;
}

/**
 * `no rule in workspace "proj" (/p) → workspace "Global" (/) matches "x"; the default policy of
 * workspace "proj" (/p) is deny`, and for a deny, how to let the tool through.
 */
export function defaultReason(
  compiled: CompiledConfig,
  chain: WorkspaceChain,
  workspace: Workspace,
  policy: DefaultPolicy,
  lookup: ServerLookup | undefined,
  toolName: string,
): string {
  const isGlobal = workspace.id === GLOBAL_WORKSPACE_ID;
  const chainText = chain.links.map((link) => labelOf(compiled, link.workspace)).join(' → ');
  const head = `no rule in ${chainText} matches "${toolName}"; the default policy of ${labelOf(compiled, workspace)} is ${policy}${isGlobal ? ' (the default_policy setting)' : ''}`;
  if (policy === 'allow') return head + missingText(lookup, toolName);
  const body = JSON.stringify({ workspace_id: workspace.id, tool_pattern: toolName, policy: 'allow' });
  const other = isGlobal ? ', or set the default_policy setting to allow' : `, or PUT /api/v1/workspaces/${workspace.id} {"default_policy":"allow"}`;
  return `${head}; to allow it, add a rule: POST /api/v1/routes ${body}${other}`;
}

/** One line per candidate rule for dry-run: why it matched or which check failed. */
export function noteFor(
  compiled: CompiledConfig,
  compiledRule: CompiledRule,
  subpath: string,
  toolName: string,
  mismatch: RuleMismatch | undefined,
  decided: boolean,
): string {
  const rule = compiledRule.rule;
  switch (mismatch) {
    case undefined:
      return decided ? `matches; it decides (${rule.policy})` : 'matches, but an earlier rule had already decided';
    case 'path':
      return `path_glob "${rule.path_glob}" does not match subpath "${subpath}"`;
    case 'tool':
      return `${patternsText(rule)} does not match "${toolName}"`;
    case 'namespace': {
      const guard = compiledRule.guard!;
      const server = compiled.serversById.get(guard.serverId);
      if (!server) return `namespace guard: the rule's server "${guard.serverId}" is not configured`;
      return `namespace guard: the rule is scoped to server "${server.id}" (namespace "${server.namespace}") and "${toolName}" is not its tool`;
    }
  }
}

function patternsText(rule: RouteRule): string {
  const patterns = rulePatterns(rule);
  return patterns.length === 1 ? `tool "${patterns[0]}"` : `tools ${patterns.map((p) => `"${p}"`).join(', ')}`;
}

function approvalText(rule: RouteRule, readOnly: boolean | undefined, required: boolean): string {
  const writeOnly = rule.approval_mode === 'write';
  const basis = rule.policy === 'approve' ? (writeOnly ? 'policy approve, approval_mode write' : 'policy approve') : `approval_mode ${rule.approval_mode}`;
  if (!required) {
    return writeOnly && readOnly === true ? `allowed without approval (${basis}: the tool is read-only)` : 'allowed';
  }
  return writeOnly ? `allowed after approval (${basis}: the tool is not marked read-only)` : `allowed after approval (${basis})`;
}

/** The precompiled label; a stand-in workspace (no `global` configured) is labelled on the spot. */
function labelOf(compiled: CompiledConfig, workspace: Workspace): string {
  return compiled.workspaceLabels.get(workspace.id) ?? workspaceLabel(workspace);
}

function missingText(lookup: ServerLookup | undefined, toolName: string): string {
  if (lookup === undefined || lookup.server !== undefined) return '';
  switch (lookup.missing?.kind) {
    case 'rule_server':
      return `, but its server "${lookup.missing.id}" is not configured (unknown tool)`;
    case 'namespace':
      return `, but no downstream server has the namespace "${lookup.missing.id}" (unknown tool)`;
    default:
      return `, but "${toolName}" has no "namespace__" prefix and no known server (unknown tool)`;
  }
}
