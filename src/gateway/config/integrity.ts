import { GatewayError, type ErrorDetail } from '../errors.js';
import type { ConfigState } from './schemas/index.js';

/**
 * Cross-entity rules no single schema can see: unique ids, names, namespaces and roots, and
 * references that point at something that exists. Throws a 409 (uniqueness) or 400 (reference).
 */
export function checkIntegrity(state: ConfigState): void {
  unique(
    'workspace id',
    state.workspaces.map((w) => w.id),
    'id',
  );
  unique(
    'workspace name',
    state.workspaces.map((w) => w.name),
    'name',
  );
  unique(
    'workspace root_path',
    state.workspaces.map((w) => w.root_path),
    'root_path',
  );
  unique(
    'downstream server id',
    state.downstreams.map((s) => s.id),
    'id',
  );
  unique(
    'downstream server name',
    state.downstreams.map((s) => s.name),
    'name',
  );
  unique(
    'namespace',
    state.downstreams.map((s) => s.namespace),
    'namespace',
  );
  unique(
    'route rule id',
    state.routes.map((r) => r.id),
    'id',
  );
  unique(
    'auth scope id',
    state.auth_scopes.map((a) => a.id),
    'id',
  );
  unique(
    'auth scope name',
    state.auth_scopes.map((a) => a.name),
    'name',
  );

  unique(
    'OAuth provider id',
    state.oauth_providers.map((p) => p.id),
    'id',
  );
  unique(
    'OAuth provider name',
    state.oauth_providers.map((p) => p.name),
    'name',
  );

  const workspaces = new Set(state.workspaces.map((w) => w.id));
  const servers = new Set(state.downstreams.map((s) => s.id));
  const scopes = new Set(state.auth_scopes.map((a) => a.id));
  const missing: ErrorDetail[] = [];
  for (const route of state.routes) {
    if (!workspaces.has(route.workspace_id))
      missing.push({ path: 'workspace_id', message: `workspace "${route.workspace_id}" does not exist (route ${route.id})` });
    if (route.server_id !== undefined && !servers.has(route.server_id))
      missing.push({ path: 'server_id', message: `downstream server "${route.server_id}" does not exist (route ${route.id})` });
    if (route.auth_scope_id !== undefined && !scopes.has(route.auth_scope_id))
      missing.push({ path: 'auth_scope_id', message: `auth scope "${route.auth_scope_id}" does not exist (route ${route.id})` });
  }
  for (const scope of state.auth_scopes) {
    if (scope.server_id !== undefined && !servers.has(scope.server_id))
      missing.push({ path: 'server_id', message: `downstream server "${scope.server_id}" does not exist (auth scope ${scope.id})` });
  }
  if (missing.length > 0) throw new GatewayError('validation_failed', missing[0]!.message, { details: missing });
}

function unique(what: string, values: string[], field: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new GatewayError('conflict', `${what} "${value}" is already taken`, { details: [{ path: field, message: 'already taken' }] });
    seen.add(value);
  }
}
