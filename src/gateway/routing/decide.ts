import type { DownstreamServer, RouteRule } from '../config/index.js';
import { defaultPolicyOf, workspaceRules, type CompiledConfig, type CompiledRule, type RuleMismatch } from './compile.js';
import { defaultReason, noteFor, ruleReason, type ServerLookup } from './reason.js';
import type { ChainLink, WorkspaceChain } from './resolve-chain.js';
import type { CandidateRule, DecideOptions, Decision } from './types.js';

const NO_OPTIONS: DecideOptions = {};

/**
 * Routes one tool call. Walks the chain most specific first; in each workspace the first rule
 * (in sorted order) whose path glob, tool pattern and namespace guard all pass decides: deny
 * stops, allow and approve route. When no rule of the chain matches, the most specific
 * workspace's default policy decides. Real calls and dry-run both run this function; dry-run
 * passes `trace`, which receives every rule of the chain without changing the outcome.
 */
export function decide(
  compiled: CompiledConfig,
  chain: WorkspaceChain,
  toolName: string,
  options: DecideOptions = NO_OPTIONS,
  trace?: CandidateRule[],
): Decision {
  let decision: Decision | undefined;
  for (const link of chain.links) {
    for (const compiledRule of workspaceRules(compiled, link.workspace.id)) {
      const mismatch = checkRule(compiledRule, link.subpath, toolName, options.owner);
      const decides = mismatch === undefined && decision === undefined;
      if (decides) decision = ruleDecision(compiled, link, compiledRule, toolName, options);
      if (trace) trace.push(candidate(compiled, link, compiledRule, toolName, mismatch, decides));
      else if (decision) return decision;
    }
  }
  return decision ?? defaultDecision(compiled, chain, toolName, options);
}

/** The first check a rule fails for this call, or undefined when it matches. */
export function checkRule(compiledRule: CompiledRule, subpath: string, toolName: string, owner: DownstreamServer | undefined): RuleMismatch | undefined {
  if (!compiledRule.path.test(subpath)) return 'path';
  let toolMatches = false;
  for (const matcher of compiledRule.tools) {
    if (matcher.test(toolName)) {
      toolMatches = true;
      break;
    }
  }
  if (!toolMatches) return 'tool';
  const guard = compiledRule.guard;
  if (guard) {
    // A known owner settles it (unprefixed tools); otherwise the name must carry the namespace.
    const passes = owner ? owner.id === guard.serverId : guard.namespacePrefix !== undefined && toolName.startsWith(guard.namespacePrefix);
    if (!passes) return 'namespace';
  }
  return undefined;
}

/** True when a call that a rule lets through must wait for approval. */
export function approvalRequired(rule: Pick<RouteRule, 'policy' | 'approval_mode'>, readOnly: boolean | undefined): boolean {
  if (rule.policy === 'deny') return false;
  const mode = rule.policy === 'approve' ? (rule.approval_mode === 'write' ? 'write' : 'all') : rule.approval_mode;
  return mode === 'all' || (mode === 'write' && readOnly !== true);
}

/** The server a routed call goes to: the rule's, else the known owner, else the tool's namespace. */
export function resolveServer(compiled: CompiledConfig, rule: RouteRule | undefined, toolName: string, owner: DownstreamServer | undefined): ServerLookup {
  if (rule?.server_id) {
    return { server: compiled.serversById.get(rule.server_id), missing: { kind: 'rule_server', id: rule.server_id } };
  }
  if (owner) return { server: compiled.serversById.get(owner.id) ?? owner };
  const separator = toolName.indexOf('__');
  if (separator <= 0) return { server: undefined, missing: { kind: 'no_namespace' } };
  const namespace = toolName.slice(0, separator);
  return { server: compiled.serversByNamespace.get(namespace), missing: { kind: 'namespace', id: namespace } };
}

function ruleDecision(compiled: CompiledConfig, link: ChainLink, compiledRule: CompiledRule, toolName: string, options: DecideOptions): Decision {
  const rule = compiledRule.rule;
  if (rule.policy === 'deny') {
    const reason = ruleReason(compiled, link.workspace, compiledRule, options.readOnly, false, undefined, toolName);
    return Object.freeze({ policy: 'deny', matched: true, rule, workspace: link.workspace, approval_required: false, reason, error_code: 'denied' });
  }
  const lookup = resolveServer(compiled, rule, toolName, options.owner);
  const required = approvalRequired(rule, options.readOnly);
  const timeout = required && rule.approval_timeout_sec !== undefined && rule.approval_timeout_sec > 0 ? rule.approval_timeout_sec : undefined;
  const decision: Decision = {
    policy: rule.policy,
    matched: true,
    rule,
    workspace: link.workspace,
    approval_required: required,
    reason: ruleReason(compiled, link.workspace, compiledRule, options.readOnly, required, lookup, toolName),
    ...(lookup.server ? { server: lookup.server } : { error_code: 'unknown_tool' as const }),
    ...(rule.auth_scope_id ? { auth_scope_id: rule.auth_scope_id } : {}),
    ...(timeout !== undefined ? { approval_timeout_sec: timeout } : {}),
  };
  return Object.freeze(decision);
}

function defaultDecision(compiled: CompiledConfig, chain: WorkspaceChain, toolName: string, options: DecideOptions): Decision {
  const workspace = chain.links[0]!.workspace;
  const policy = defaultPolicyOf(compiled, workspace);
  if (policy === 'deny') {
    const reason = defaultReason(compiled, chain, workspace, policy, undefined, toolName);
    return Object.freeze({ policy, matched: false, workspace, approval_required: false, reason, error_code: 'no_route' });
  }
  const lookup = resolveServer(compiled, undefined, toolName, options.owner);
  const decision: Decision = {
    policy,
    matched: false,
    workspace,
    approval_required: false,
    reason: defaultReason(compiled, chain, workspace, policy, lookup, toolName),
    ...(lookup.server ? { server: lookup.server } : { error_code: 'unknown_tool' as const }),
  };
  return Object.freeze(decision);
}

function candidate(
  compiled: CompiledConfig,
  link: ChainLink,
  compiledRule: CompiledRule,
  toolName: string,
  mismatch: RuleMismatch | undefined,
  decided: boolean,
): CandidateRule {
  const note = noteFor(compiled, compiledRule, link.subpath, toolName, mismatch, decided);
  return {
    rule: compiledRule.rule,
    workspace_id: link.workspace.id,
    subpath: link.subpath,
    matched: mismatch === undefined,
    decided,
    ...(mismatch ? { mismatch } : {}),
    note,
  };
}
