import {
  GLOBAL_WORKSPACE_ID,
  parseBody,
  presentAuthScope,
  resolveDownstream,
  type AuthScope,
  type ConfigState,
  type DownstreamServer,
} from '../config/index.js';
import { GatewayError } from '../errors.js';
import { oauthSetupSchema, type OAuthTemplate } from '../../shared/schemas/index.js';
import { authorizeUrl } from './authorize.js';
import type { OAuthContext } from './context.js';
import { probeMcpServer } from './discover.js';
import { presentProvider } from './providers.js';
import type { SetupAnswer } from './quick-setup.js';
import { autoProvider, upsertProvider } from './register.js';
import { addOAuthScope, ensureAllowRoute } from './routes.js';
import { statusOf } from './token-record.js';
import { findTemplate, listTemplates } from './templates.js';

export interface Capabilities {
  has_template: boolean;
  template?: OAuthTemplate;
  supports_auto_discovery: boolean;
  needs_credentials: boolean;
}

/**
 * `GET /downstreams/{id}/oauth-capabilities`: the template named like the server's namespace;
 * else, for an HTTP server, whether its authorization server offers dynamic registration (probed).
 * @throws GatewayError `not_found`
 */
export async function capabilities(ctx: OAuthContext, serverRef: string): Promise<Capabilities> {
  const state = ctx.store.state;
  const server = resolveDownstream(state.downstreams, serverRef);
  const template = findTemplate(server.namespace);
  if (template) {
    const hasCredentials = state.oauth_providers.some((p) => p.template_id === template.id && p.client_id);
    const auto = template.supports_auto_discovery && server.transport === 'http';
    return {
      has_template: true,
      template: listTemplates(ctx.callbackUrl()).find((t) => t.id === template.id)!,
      supports_auto_discovery: template.supports_auto_discovery,
      needs_credentials: !hasCredentials && !auto,
    };
  }
  if (server.transport !== 'http' || !server.url) return { has_template: false, supports_auto_discovery: false, needs_credentials: true };
  try {
    const info = await probeMcpServer(server.url);
    const auto = Boolean(info.authorizationServerMetadata?.registration_endpoint);
    return { has_template: false, supports_auto_discovery: auto, needs_credentials: !auto };
  } catch (error) {
    ctx.logger.debug('OAuth capability probe failed', { server: server.name, reason: (error as Error).message });
    return { has_template: false, supports_auto_discovery: false, needs_credentials: true };
  }
}

/**
 * `POST /downstreams/{id}/oauth-setup {auth_scope_name?}` (HTTP servers only): auto-discovery and
 * dynamic registration (provider "`<server name> (auto)`", created or reused), then the scope: an
 * oauth2 scope found through the server's routes, else an env/header one there converted, else
 * `auth_scope_name` or `<namespace>_oauth` (found by name or created); every route of the server
 * then points at it, and a server with no route gets the allow route in `global` (see routes.ts).
 * @throws GatewayError `not_found`, `validation_failed` (not HTTP), `bad_gateway` (no registration: configure manually)
 */
export async function setupServer(ctx: OAuthContext, serverRef: string, body: unknown): Promise<SetupAnswer> {
  const input = parseBody(oauthSetupSchema, body ?? {});
  const server = resolveDownstream(ctx.store.state.downstreams, serverRef);
  if (server.transport !== 'http') {
    throw new GatewayError(
      'validation_failed',
      `downstream server "${server.name}" runs over ${server.transport}: oauth-setup works for remote (HTTP) MCP servers; for others use POST /api/v1/auth-scopes/oauth-quick-setup with a template`,
      {
        details: [{ path: 'transport', message: 'must be http' }],
      },
    );
  }
  const { provider } = await autoProvider(ctx, server);
  const scope = await ctx.store.update((draft) => {
    upsertProvider(draft.oauth_providers, provider);
    const target = scopeForServer(draft, server, input.auth_scope_name ?? `${server.namespace}_oauth`);
    target.type = 'oauth2';
    target.oauth_provider_id = provider.id;
    target.server_id ??= server.id;
    target.updated_at = new Date().toISOString();
    const routes = draft.routes.filter((route) => route.server_id === server.id);
    for (const route of routes) route.auth_scope_id = target.id;
    // A server with no route of its own is reached by default-allow calls carrying no scope.
    if (routes.length === 0) ensureAllowRoute(draft, server, GLOBAL_WORKSPACE_ID, target.id);
    return target;
  });
  return { auth_scope: presentAuthScope(scope), provider: presentProvider(provider), authorize_url: await authorizeUrl(ctx, scope.id) };
}

/** The scope oauth-setup uses for a server, inside a write: see `setupServer`. */
function scopeForServer(draft: ConfigState, server: DownstreamServer, fallbackName: string): AuthScope {
  const onRoutes = draft.routes
    .filter((r) => r.server_id === server.id && r.auth_scope_id !== undefined)
    .map((r) => draft.auth_scopes.find((s) => s.id === r.auth_scope_id))
    .filter((s): s is AuthScope => s !== undefined);
  const found = onRoutes.find((s) => s.type === 'oauth2') ?? onRoutes[0] ?? draft.auth_scopes.find((s) => s.name === fallbackName);
  if (found) return found;
  return addOAuthScope(draft, server, fallbackName);
}

export interface ServerStatusEntry {
  auth_scope_id: string;
  auth_scope_name: string;
  status: 'authenticated' | 'expired' | 'not_configured';
  expires_at?: string;
  workspace_id: string;
  route_rule_id: string;
}

/** `GET /downstreams/{id}/oauth-status`: one entry per route of the server with a scope. @throws GatewayError `not_found` */
export function serverStatus(ctx: OAuthContext, serverRef: string): { entries: ServerStatusEntry[] } {
  const state = ctx.store.state;
  const server = resolveDownstream(state.downstreams, serverRef);
  const entries: ServerStatusEntry[] = [];
  for (const route of state.routes) {
    if (route.server_id !== server.id || route.auth_scope_id === undefined) continue;
    const scope = state.auth_scopes.find((s) => s.id === route.auth_scope_id);
    if (!scope) continue;
    const status = scopeStatus(ctx, scope);
    entries.push({
      auth_scope_id: scope.id,
      auth_scope_name: scope.name,
      status: status.status === 'not_configured' ? 'not_configured' : status.status === 'expired' ? 'expired' : 'authenticated',
      ...(status.expires_at ? { expires_at: status.expires_at } : {}),
      workspace_id: route.workspace_id,
      route_rule_id: route.id,
    });
  }
  return { entries };
}

/** A scope's OAuth status (GET …/oauth/status's body). */
export function scopeStatus(ctx: OAuthContext, scope: AuthScope) {
  return statusOf(ctx.tokens.read(scope.id), { refreshing: ctx.refresher.isRefreshing(scope.id), ...(scope.oauth_error ? { error: scope.oauth_error } : {}) });
}
