import { GLOBAL_WORKSPACE_ID, rulePatterns, type DefaultPolicy, type DownstreamServer, type RouteRule, type Workspace } from '../config/index.js';
import type { CompiledConfig, CompiledRule, RuleMismatch } from './compile.js';
import { describeChain, type WorkspaceChain } from './resolve-chain.js';

/** The server found for a routed call, or what was missing when none was. */
export interface ServerLookup {
  readonly server: DownstreamServer | undefined;
  readonly missing?: { readonly kind: 'rule_server' | 'namespace' | 'no_namespace'; readonly id?: string };
}

/** `rule "r1" in workspace "proj" (path "**", tool "github__*", priority 100) allows it`, and why approval applies. */
export function ruleReason(
  workspace: Workspace,
  rule: RouteRule,
  readOnly: boolean | undefined,
  approvalRequired: boolean,
  lookup: ServerLookup | undefined,
  toolName: string,
): string {
  const head = `rule "${rule.id}" in workspace "${workspace.id}" (path "${rule.path_glob}", ${patternsText(rule)}, priority ${rule.priority})`;
  if (rule.policy === 'deny') return `${head} denies it`;
  return `${head} ${approvalText(rule, readOnly, approvalRequired)}${missingText(lookup, toolName)}`;
}

/** `no rule matched in workspace chain proj → global; default policy of "proj" is deny`. */
export function defaultReason(chain: WorkspaceChain, workspace: Workspace, policy: DefaultPolicy, lookup: ServerLookup | undefined, toolName: string): string {
  const setting = workspace.id === GLOBAL_WORKSPACE_ID ? ' (the default_policy setting)' : '';
  return `no rule matched in workspace chain ${describeChain(chain)}; default policy of "${workspace.id}" is ${policy}${setting}${missingText(lookup, toolName)}`;
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
    return writeOnly && readOnly === true ? `allows it without approval (${basis}: the tool is read-only)` : 'allows it';
  }
  return writeOnly ? `allows it after approval (${basis}: the tool is not marked read-only)` : `allows it after approval (${basis})`;
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
