import { randomUUID } from 'node:crypto';
import { parseBody, presentAuthScope, resolveDownstream, type AuthScope, type AuthScopeView } from '../config/index.js';
import { conflict, GatewayError } from '../errors.js';
import { oauthQuickSetupSchema, type OAuthProviderView } from '../../shared/schemas/index.js';
import { authorizeUrl } from './authorize.js';
import { nextFreeName, type OAuthContext } from './context.js';
import { buildProvider, presentProvider } from './providers.js';
import { findTemplate, TEMPLATE_IDS } from './templates.js';

export interface SetupAnswer {
  auth_scope: AuthScopeView;
  provider: OAuthProviderView;
  authorize_url: string;
}

/**
 * `POST /auth-scopes/oauth-quick-setup {provider_template, client_id, client_secret?, server_id?, name?}`:
 * a provider from the template and an `oauth2` scope of the same name, in one write; `name`
 * defaults to the template id, then the next free `<id>-2`, `<id>-3`…; `server_id` points every
 * route of that server at the new scope. Answers the authorize URL to open.
 * @throws GatewayError `validation_failed` (unknown template, missing secret), `not_found` (server), `conflict` (an explicit name taken)
 */
export async function quickSetup(ctx: OAuthContext, body: unknown): Promise<SetupAnswer> {
  const input = parseBody(oauthQuickSetupSchema, body);
  const template = findTemplate(input.provider_template);
  if (!template) {
    throw new GatewayError('validation_failed', `provider_template "${input.provider_template}" is not a template; use one of ${TEMPLATE_IDS.join(', ')}`, {
      details: [{ path: 'provider_template', message: 'unknown template' }],
    });
  }
  if (template.needs_secret && !input.client_secret) {
    throw new GatewayError('validation_failed', `the ${template.name} template needs client_secret: copy it from your OAuth app (${template.setup_url})`, {
      details: [{ path: 'client_secret', message: 'required by this template' }],
    });
  }
  const created = await ctx.store.update((draft) => {
    const server = input.server_id === undefined ? undefined : resolveDownstream(draft.downstreams, input.server_id);
    const taken = (name: string) => draft.auth_scopes.some((s) => s.name === name) || draft.oauth_providers.some((p) => p.name === name);
    if (input.name !== undefined && taken(input.name)) {
      throw conflict(
        `the name "${input.name}" is already taken by an auth scope or OAuth provider; choose another, or leave name out to get the next free one`,
        [{ path: 'name', message: 'already taken' }],
      );
    }
    const name = input.name ?? nextFreeName(template.id, taken);
    const provider = buildProvider(
      { name, template_id: template.id, client_id: input.client_id, client_secret: input.client_secret, extra_params: {} },
      ctx.box,
      'api',
    );
    const now = new Date().toISOString();
    const scope: AuthScope = {
      id: randomUUID(),
      name,
      ...(server ? { server_id: server.id } : {}),
      type: 'oauth2',
      env_vars: {},
      oauth_provider_id: provider.id,
      ...(input.token_env_var ? { token_env_var: input.token_env_var } : {}),
      redaction_hints: [],
      source: 'api',
      created_at: now,
      updated_at: now,
    };
    draft.oauth_providers.push(provider);
    draft.auth_scopes.push(scope);
    if (server) for (const route of draft.routes) if (route.server_id === server.id) route.auth_scope_id = scope.id;
    return { scope, provider };
  });
  return {
    auth_scope: presentAuthScope(created.scope),
    provider: presentProvider(created.provider),
    authorize_url: await authorizeUrl(ctx, created.scope.id),
  };
}
