import { GLOBAL_WORKSPACE_ID, rulePatterns, type DefaultPolicy, type DownstreamServer, type RouteRule, type Workspace } from '../config/index.js';
import { normaliseDir } from './resolve-chain.js';
import { compilePathGlob, type PathGlobMatcher } from './path-glob.js';
import { sortRankedRules } from './rule-order.js';
import { compileToolPattern, type ToolMatcher } from './tool-pattern.js';

/** The config a router is built from: a snapshot, never mutated afterwards. */
export interface RoutingConfig {
  readonly workspaces: readonly Workspace[];
  /** In creation order: a rule's position here is its creation order. */
  readonly routes: readonly RouteRule[];
  readonly downstreams: readonly DownstreamServer[];
  /** The `default_policy` setting; it stands for the `global` workspace's own field. */
  readonly globalDefaultPolicy: DefaultPolicy;
  /**
   * Listed (shortened) tool name → full name. A rule's exact pattern written with a listed name
   * matches the full name it stands for, as calls and dry-run route full names.
   */
  readonly toolAliases?: ReadonlyMap<string, string>;
  /**
   * The file system's port: a directory's real path (symbolic links resolved), or undefined when
   * it does not exist here. Roots are asked once per config, a client directory at most once a
   * second (router.ts).
   * Absent: paths are compared as written (normalised).
   */
  readonly realPath?: (dir: string) => string | undefined;
}

/** Why a rule did not match, in the order the checks run. */
export type RuleMismatch = 'path' | 'tool' | 'namespace';

/** A rule with everything matching needs, computed once per config. */
export interface CompiledRule {
  readonly rule: RouteRule;
  readonly path: PathGlobMatcher;
  readonly tools: readonly ToolMatcher[];
  readonly toolScore: number;
  /** The namespace guard: the rule's server, and its namespace (undefined when that server is not configured). */
  readonly guard?: { readonly serverId: string; readonly namespacePrefix: string | undefined };
  /** How messages name the rule: `rule "block-writes" (id r1)`, or `rule r1 (unnamed)`. */
  readonly label: string;
}

/** Everything a decision reads, precompiled. */
export interface CompiledConfig {
  readonly rulesByWorkspace: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly serversById: ReadonlyMap<string, DownstreamServer>;
  readonly serversByNamespace: ReadonlyMap<string, DownstreamServer>;
  readonly workspacesById: ReadonlyMap<string, Workspace>;
  /** How messages name each workspace: `workspace "proj" (/home/u/proj)`, by id. */
  readonly workspaceLabels: ReadonlyMap<string, string>;
  readonly workspaces: readonly Workspace[];
  /** Workspace id → its root's real path, where that differs from the root as written (normalised). */
  readonly realRoots: ReadonlyMap<string, string>;
  readonly globalDefaultPolicy: DefaultPolicy;
}

const NO_RULES: readonly CompiledRule[] = [];

/** Sorts each workspace's rules and compiles their globs, patterns and guards. */
export function compileConfig(config: RoutingConfig): CompiledConfig {
  const serversById = new Map(config.downstreams.map((server) => [server.id, server] as const));
  const serversByNamespace = new Map<string, DownstreamServer>();
  for (const server of config.downstreams) {
    if (!serversByNamespace.has(server.namespace)) serversByNamespace.set(server.namespace, server);
  }
  const byWorkspace = new Map<string, RouteRule[]>();
  for (const rule of config.routes) {
    const list = byWorkspace.get(rule.workspace_id);
    if (list) list.push(rule);
    else byWorkspace.set(rule.workspace_id, [rule]);
  }
  const rulesByWorkspace = new Map<string, readonly CompiledRule[]>();
  for (const [workspaceId, rules] of byWorkspace) {
    rulesByWorkspace.set(
      workspaceId,
      sortRankedRules(rules).map((ranked) => compileRule(ranked.rule, ranked.toolScore, serversById, config.toolAliases)),
    );
  }
  return {
    rulesByWorkspace,
    serversById,
    serversByNamespace,
    workspacesById: new Map(config.workspaces.map((workspace) => [workspace.id, workspace] as const)),
    workspaceLabels: new Map(config.workspaces.map((workspace) => [workspace.id, workspaceLabel(workspace)] as const)),
    workspaces: config.workspaces,
    realRoots: realRootsOf(config),
    globalDefaultPolicy: config.globalDefaultPolicy,
  };
}

function realRootsOf(config: RoutingConfig): ReadonlyMap<string, string> {
  const roots = new Map<string, string>();
  if (!config.realPath) return roots;
  for (const workspace of config.workspaces) {
    const root = normaliseDir(workspace.root_path);
    if (workspace.id === GLOBAL_WORKSPACE_ID || root === undefined) continue;
    const real = normaliseDir(config.realPath(root));
    if (real !== undefined && real !== root) roots.set(workspace.id, real);
  }
  return roots;
}

/** The sorted rules of one workspace (empty when it has none). */
export function workspaceRules(compiled: CompiledConfig, workspaceId: string): readonly CompiledRule[] {
  return compiled.rulesByWorkspace.get(workspaceId) ?? NO_RULES;
}

/** The default policy of a workspace, with `global`'s taken from the setting. */
export function defaultPolicyOf(compiled: CompiledConfig, workspace: Workspace): DefaultPolicy {
  return workspace.id === GLOBAL_WORKSPACE_ID ? compiled.globalDefaultPolicy : workspace.default_policy;
}

/** `workspace "proj" (/home/u/proj)`: the name a user gave it and the folder it stands for. */
export function workspaceLabel(workspace: Pick<Workspace, 'name' | 'root_path'>): string {
  return `workspace "${workspace.name}" (${workspace.root_path})`;
}

/** `rule "block-writes" (id r1)`; a rule without a name is named by its id. */
export function ruleLabel(rule: Pick<RouteRule, 'id' | 'name'>): string {
  return rule.name ? `rule "${rule.name}" (id ${rule.id})` : `rule ${rule.id} (unnamed)`;
}

function compileRule(rule: RouteRule, toolScore: number, servers: ReadonlyMap<string, DownstreamServer>, aliases?: ReadonlyMap<string, string>): CompiledRule {
  // Listed names never hold a `*`, so only exact patterns can be aliases.
  const tools = rulePatterns(rule).map((pattern) => compileToolPattern(aliases?.get(pattern) ?? pattern));
  const base = { rule, path: compilePathGlob(rule.path_glob), tools, toolScore, label: ruleLabel(rule) };
  if (!rule.server_id) return base;
  const server = servers.get(rule.server_id);
  return { ...base, guard: { serverId: rule.server_id, namespacePrefix: server ? `${server.namespace}__` : undefined } };
}
