/**
 * Builders for the routing table (`routing-cases.ts`): whole entities with the schema defaults,
 * plus the seeds every config has, so a case can be replayed here, over the REST dry-run and
 * through real calls with the same data.
 */
import {
  BUILTIN_NAMESPACE,
  BUILTIN_ROUTE_ID,
  BUILTIN_SERVER_ID,
  GLOBAL_WORKSPACE_ID,
  type DefaultPolicy,
  type DownstreamServer,
  type RouteRule,
  type Workspace,
} from '../config/index.js';
import type { RoutingConfig } from './compile.js';

const STAMP = '2025-01-01T00:00:00.000Z';

export function workspace(id: string, root_path: string, default_policy: DefaultPolicy = 'allow'): Workspace {
  return { id, name: id, root_path, default_policy, tags: {}, source: 'api', created_at: STAMP, updated_at: STAMP };
}

export function server(id: string, namespace: string, extra: Partial<DownstreamServer> = {}): DownstreamServer {
  return {
    id, name: id, transport: 'stdio', command: 'true', args: [], env: {}, headers: {}, namespace, enabled: true,
    idle_timeout_sec: 300, discovery: 'static', expose_unprefixed: false, max_instances: 1,
    tools: [], resources: [], resource_templates: [], prompts: [], discovered_at: null,
    source: 'api', created_at: STAMP, updated_at: STAMP, ...extra,
  };
}

/** A rule with the create defaults: tool `*`, path `**`, allow, priority 100, approval_mode none. */
export function route(id: string, workspace_id: string, fields: Partial<Omit<RouteRule, 'id' | 'workspace_id'>> = {}): RouteRule {
  return {
    id, workspace_id, tool_pattern: '*', path_glob: '**', policy: 'allow', priority: 100, approval_mode: 'none',
    source: 'api', created_at: STAMP, updated_at: STAMP, ...fields,
  };
}

/** The seeded `global` workspace (its default policy is the setting's). */
export function globalWorkspace(policy: DefaultPolicy = 'allow'): Workspace {
  return { ...workspace(GLOBAL_WORKSPACE_ID, '/', policy), name: 'Global', source: 'default' };
}

export const builtinServer: DownstreamServer = server(BUILTIN_SERVER_ID, BUILTIN_NAMESPACE, {
  name: 'MCPlexer Built-in Tools', transport: 'internal', command: undefined, idle_timeout_sec: 0, source: 'default',
});

export const builtinRoute: RouteRule = route(BUILTIN_ROUTE_ID, GLOBAL_WORKSPACE_ID, {
  name: 'Built-in tools', server_id: BUILTIN_SERVER_ID, tool_pattern: `${BUILTIN_NAMESPACE}__*`, source: 'default',
});

/** What a case expects, by id; absent fields are expected absent. */
export interface RoutingExpectation {
  readonly policy: 'allow' | 'deny' | 'approve';
  readonly matched: boolean;
  readonly rule?: string;
  /** The deciding workspace (or the most specific one when a default policy decided). */
  readonly workspace: string;
  readonly server?: string;
  readonly approval_required?: boolean;
  readonly error_code?: 'denied' | 'no_route' | 'unknown_tool';
  /** Workspace ids of the chain, most specific first (checked when given). */
  readonly chain?: readonly string[];
}

/** One row of the routing table: a config (besides the seeds), one call, and its expected decision. */
export interface RoutingCase {
  readonly name: string;
  readonly workspaces?: readonly Workspace[];
  readonly servers?: readonly DownstreamServer[];
  /** In creation order, created after the seeded `builtin-allow`. */
  readonly routes?: readonly RouteRule[];
  /** The `default_policy` setting; `allow` when absent. */
  readonly globalDefaultPolicy?: DefaultPolicy;
  /** The client's directory; absent means none. */
  readonly dir?: string;
  readonly tool: string;
  /** The id of the server the caller's tool index says owns the tool. */
  readonly owner?: string;
  readonly readOnly?: boolean;
  readonly expected: RoutingExpectation;
}

/** A case's whole config: the seeds, then the case's own entities. */
export function caseConfig(routingCase: RoutingCase): RoutingConfig {
  const policy = routingCase.globalDefaultPolicy ?? 'allow';
  return {
    workspaces: [globalWorkspace(policy), ...(routingCase.workspaces ?? [])],
    downstreams: [builtinServer, ...(routingCase.servers ?? [])],
    routes: [builtinRoute, ...(routingCase.routes ?? [])],
    globalDefaultPolicy: policy,
  };
}
