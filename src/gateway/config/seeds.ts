import {
  BUILTIN_NAMESPACE,
  BUILTIN_ROUTE_ID,
  BUILTIN_SERVER_ID,
  CURRENT_SCHEMA_VERSION,
  GLOBAL_WORKSPACE_ID,
  type ConfigState,
  type DownstreamServer,
  type RouteRule,
  type Workspace,
} from './schemas/index.js';

export function emptyState(): ConfigState {
  return { schema_version: CURRENT_SCHEMA_VERSION, workspaces: [], downstreams: [], routes: [], auth_scopes: [], oauth_providers: [], settings: {} };
}

/** The built-ins every config has: the `global` workspace, the `mcpx` server and its allow route. */
export function applySeeds(raw: unknown): unknown {
  const state = raw as ConfigState;
  const now = new Date().toISOString();
  if (Array.isArray(state.workspaces) && !state.workspaces.some((w) => w.id === GLOBAL_WORKSPACE_ID)) {
    const global: Workspace = {
      id: GLOBAL_WORKSPACE_ID,
      name: 'Global',
      root_path: '/',
      default_policy: 'allow',
      tags: {},
      source: 'default',
      created_at: now,
      updated_at: now,
    };
    state.workspaces.unshift(global);
  }
  if (Array.isArray(state.downstreams) && !state.downstreams.some((s) => s.id === BUILTIN_SERVER_ID)) {
    const builtin: DownstreamServer = {
      id: BUILTIN_SERVER_ID,
      name: 'MCPlexer Built-in Tools',
      transport: 'internal',
      args: [],
      env: {},
      headers: {},
      namespace: BUILTIN_NAMESPACE,
      enabled: true,
      idle_timeout_sec: 0,
      discovery: 'static',
      expose_unprefixed: false,
      max_instances: 1,
      tools: [],
      resources: [],
      resource_templates: [],
      prompts: [],
      discovered_at: null,
      source: 'default',
      created_at: now,
      updated_at: now,
    };
    state.downstreams.unshift(builtin);
  }
  if (Array.isArray(state.routes) && !state.routes.some((r) => r.id === BUILTIN_ROUTE_ID)) {
    const route: RouteRule = {
      id: BUILTIN_ROUTE_ID,
      name: 'Built-in tools',
      workspace_id: GLOBAL_WORKSPACE_ID,
      server_id: BUILTIN_SERVER_ID,
      tool_pattern: `${BUILTIN_NAMESPACE}__*`,
      path_glob: '**',
      policy: 'allow',
      priority: 100,
      approval_mode: 'none',
      source: 'default',
      created_at: now,
      updated_at: now,
    };
    state.routes.unshift(route);
  }
  return state;
}
