import { GLOBAL_WORKSPACE_ID, parseBody, presentAuthScope, resolveDownstream, resolveWorkspace, type AuthScope, type RouteRule } from '../config/index.js';
import { conflict, GatewayError } from '../errors.js';
import { oauthConnectSchema, type OAuthProvider, type OAuthProviderView } from '../../shared/schemas/index.js';
import type { AuthScopeView } from '../config/index.js';
import { authorizeUrl } from './authorize.js';
import { nextFreeName, type OAuthContext } from './context.js';
import { buildProvider, presentProvider } from './providers.js';
import { autoProvider, upsertProvider } from './register.js';
import { addOAuthScope, ensureAllowRoute } from './routes.js';
import { scopeStatus } from './remote.js';
import { findTemplate } from './templates.js';

export interface ConnectAnswer {
  auth_scope: AuthScopeView;
  provider: OAuthProviderView;
  route_rule: RouteRule;
  /** null when the scope already holds a valid token: nothing to authorize. */
  authorize_url: string | null;
}

const sanitise = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * `POST /downstreams/{id}/connect {workspace_id?, client_id?, client_secret?, scope_name?, account_label?}`:
 * the provider (the template matching the server's namespace, given credentials stored on it;
 * else auto-discovery and registration), a scope (`scope_name`, else the namespace plus the
 * sanitised label) and an allow route (`**`, `*`, priority 100) in the workspace (default
 * `global`), found or created in one write.
 * @throws GatewayError `not_found`, `validation_failed` ("requires client credentials"), `conflict` (the scope name is a non-OAuth scope), `bad_gateway`
 */
export async function connectServer(ctx: OAuthContext, serverRef: string, body: unknown): Promise<ConnectAnswer> {
  const input = parseBody(oauthConnectSchema, body ?? {});
  const state = ctx.store.state;
  const server = resolveDownstream(state.downstreams, serverRef);
  const workspace = resolveWorkspace(state.workspaces, input.workspace_id ?? GLOBAL_WORKSPACE_ID);
  const template = findTemplate(server.namespace);
  let provider: OAuthProvider | undefined = template ? state.oauth_providers.find((p) => p.template_id === template.id) : undefined;
  if (template && input.client_id) {
    const secret = input.client_secret ? ctx.box.encrypt(input.client_secret) : provider?.client_secret;
    provider = provider
      ? { ...provider, client_id: input.client_id, ...(secret ? { client_secret: secret } : {}), updated_at: new Date().toISOString() }
      : buildProvider(
          {
            name: nextFreeName(template.id, (n) => state.oauth_providers.some((p) => p.name === n)),
            template_id: template.id,
            client_id: input.client_id,
            client_secret: input.client_secret,
            extra_params: {},
          },
          ctx.box,
          'api',
        );
  }
  if (!provider?.client_id) {
    if (template && !(template.supports_auto_discovery && server.transport === 'http')) {
      throw new GatewayError(
        'validation_failed',
        `downstream server "${server.name}" uses the ${template.name} template, which requires client credentials: send client_id (and client_secret) from your OAuth app (${template.setup_url})`,
        {
          details: [{ path: 'client_id', message: 'required for this template' }],
        },
      );
    }
    provider = (await autoProvider(ctx, server)).provider;
  }
  const chosen = provider;
  const label = input.account_label ? sanitise(input.account_label) : '';
  const scopeName = input.scope_name ?? (label ? `${server.namespace}-${label}` : server.namespace);
  const result = await ctx.store.update((draft) => {
    upsertProvider(draft.oauth_providers, chosen);
    let scope = draft.auth_scopes.find((s) => s.name === scopeName);
    if (scope && scope.type !== 'oauth2') {
      throw conflict(`auth scope "${scopeName}" exists and is of type ${scope.type}; give another scope_name or account_label`, [
        { path: 'scope_name', message: 'taken by a non-OAuth scope' },
      ]);
    }
    scope ??= addOAuthScope(draft, server, scopeName);
    scope.oauth_provider_id = chosen.id;
    const route = ensureAllowRoute(draft, server, workspace.id, scope.id);
    return { scope, route };
  });
  const status = scopeStatus(ctx, result.scope).status;
  const connected = status === 'valid' || status === 'refresh_needed' || status === 'refreshing';
  return {
    auth_scope: presentAuthScope(result.scope),
    provider: presentProvider(chosen),
    route_rule: result.route,
    authorize_url: connected ? null : await authorizeUrl(ctx, result.scope.id),
  };
}
