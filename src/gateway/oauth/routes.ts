import { randomUUID } from 'node:crypto';
import type { AuthScope, ConfigState, DownstreamServer, RouteRule } from '../config/index.js';

/**
 * Inside a config write: the allow route (`**`, `*`, priority 100) of `server` in `workspaceId`
 * carrying `scopeId`, found or created. A scope reaches a server only through a route naming
 * it: without one, a default-allow call goes out with no credentials at all.
 */
export function ensureAllowRoute(draft: ConfigState, server: DownstreamServer, workspaceId: string, scopeId: string): RouteRule {
  const found = draft.routes.find((r) => r.workspace_id === workspaceId && r.server_id === server.id && r.auth_scope_id === scopeId && r.policy === 'allow');
  if (found) return found;
  const now = new Date().toISOString();
  const route: RouteRule = {
    id: randomUUID(),
    workspace_id: workspaceId,
    server_id: server.id,
    tool_pattern: '*',
    path_glob: '**',
    policy: 'allow',
    priority: 100,
    auth_scope_id: scopeId,
    approval_mode: 'none',
    source: 'api',
    created_at: now,
    updated_at: now,
  };
  draft.routes.push(route);
  return route;
}

/**
 * Inside a config write: a new `oauth2` auth scope named `name` for `server` (no env vars, no
 * redaction hints), added to the draft. Its provider and token come later.
 */
export function addOAuthScope(draft: ConfigState, server: DownstreamServer, name: string): AuthScope {
  const now = new Date().toISOString();
  const scope: AuthScope = {
    id: randomUUID(),
    name,
    server_id: server.id,
    type: 'oauth2',
    env_vars: {},
    redaction_hints: [],
    source: 'api',
    created_at: now,
    updated_at: now,
  };
  draft.auth_scopes.push(scope);
  return scope;
}
