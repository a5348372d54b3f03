import { findByRef, parseBody, type ConfigState, type ConfigStore } from '../config/index.js';
import { conflict, GatewayError } from '../errors.js';
import type { SecretBox } from '../secrets/index.js';
import {
  oauthProviderCreateSchema,
  oauthProviderUpdateSchema,
  type OAuthProvider,
  type OAuthProviderCreate,
  type OAuthProviderView,
  type Source,
} from '../../shared/schemas/index.js';
import { findTemplate, TEMPLATE_IDS } from './templates.js';
import { randomUUID } from 'node:crypto';

/** A provider by id, else by name. @throws GatewayError `not_found`, `conflict` (a name of several). */
export function findProvider(providers: readonly OAuthProvider[], ref: string): OAuthProvider {
  return findByRef(providers, ref, 'OAuth provider', [(p) => p.name]);
}

/** The wire form: `client_secret` never leaves, `has_client_secret` says whether one is stored. */
export function presentProvider(provider: OAuthProvider): OAuthProviderView {
  const { client_secret, ...rest } = provider;
  return { ...rest, has_client_secret: client_secret !== undefined };
}

/**
 * Builds a stored provider from a create body: a `template_id` fills the endpoints, scopes and
 * PKCE it leaves out; without one, `auth_url` and `token_url` are required.
 * @throws GatewayError `validation_failed` naming the field (unknown template, missing URL)
 */
export function buildProvider(
  input: Omit<OAuthProviderCreate, 'auth_url'> & { auth_url?: string | undefined },
  box: SecretBox,
  source: Source,
  extra: Partial<OAuthProvider> = {},
): OAuthProvider {
  const template = findTemplate(input.template_id);
  if (input.template_id !== undefined && !template) {
    throw new GatewayError('validation_failed', `template_id "${input.template_id}" is not a template; use one of ${TEMPLATE_IDS.join(', ')}`, {
      details: [{ path: 'template_id', message: 'unknown template' }],
    });
  }
  const auth_url = input.auth_url ?? template?.authorize_url;
  const token_url = input.token_url ?? template?.token_url;
  const missing = [!auth_url && 'auth_url', !token_url && 'token_url'].filter((f): f is string => typeof f === 'string');
  if (missing.length > 0) {
    throw new GatewayError(
      'validation_failed',
      `${missing.join(' and ')} required: give the provider's endpoints, or a template_id (GET /api/v1/oauth-templates)`,
      {
        details: missing.map((path) => ({ path, message: 'required without a template_id' })),
      },
    );
  }
  const now = new Date().toISOString();
  const revocation = input.revocation_url ?? template?.revocation_url;
  const userinfo = input.userinfo_url ?? template?.userinfo_url;
  return {
    id: input.id ?? randomUUID(),
    name: input.name,
    ...(input.template_id ? { template_id: input.template_id } : {}),
    auth_url: auth_url!,
    token_url: token_url!,
    client_id: input.client_id,
    ...(input.client_secret ? { client_secret: box.encrypt(input.client_secret) } : {}),
    scopes: input.scopes ?? [...(template?.scopes ?? [])],
    use_pkce: input.use_pkce ?? template?.use_pkce ?? true,
    extra_params: { ...template?.extra_params, ...input.extra_params },
    ...(userinfo ? { userinfo_url: userinfo } : {}),
    ...(revocation ? { revocation_url: revocation } : {}),
    ...extra,
    source,
    created_at: now,
    updated_at: now,
  };
}

/** OAuth providers (`/oauth-providers`): the client credentials and endpoints scopes authorize with. Every `ref` is an id or a name. */
export class ProviderService {
  constructor(
    private readonly store: ConfigStore,
    private readonly box: SecretBox,
  ) {}

  list(): OAuthProviderView[] {
    return this.store.state.oauth_providers.map(presentProvider);
  }

  /** @throws GatewayError `not_found`. */
  get(ref: string): OAuthProviderView {
    return presentProvider(findProvider(this.store.state.oauth_providers, ref));
  }

  /** @throws GatewayError `validation_failed` (field named), `conflict` (name or id taken). */
  async create(body: unknown, source: Source = 'api'): Promise<OAuthProviderView> {
    const input = parseBody(oauthProviderCreateSchema, body);
    const provider = buildProvider(input, this.box, source);
    await this.store.update((draft) => void draft.oauth_providers.push(provider));
    return presentProvider(provider);
  }

  /** Partial update; an empty or absent `client_secret` keeps the stored one. @throws as create, and `not_found`. */
  async update(ref: string, body: unknown): Promise<OAuthProviderView> {
    const patch = parseBody(oauthProviderUpdateSchema, body);
    const updated = await this.store.update((draft) => {
      const provider = findProvider(draft.oauth_providers, ref);
      const { client_secret, userinfo_url, revocation_url, ...rest } = patch;
      for (const [key, value] of Object.entries(rest)) if (value !== undefined) (provider as Record<string, unknown>)[key] = value;
      if (userinfo_url === null) delete provider.userinfo_url;
      else if (userinfo_url !== undefined) provider.userinfo_url = userinfo_url;
      if (revocation_url === null) delete provider.revocation_url;
      else if (revocation_url !== undefined) provider.revocation_url = revocation_url;
      if (client_secret) provider.client_secret = this.box.encrypt(client_secret);
      provider.updated_at = new Date().toISOString();
      return provider;
    });
    return presentProvider(updated);
  }

  /** @throws GatewayError `not_found`; `conflict` while auth scopes use it (unless `cascade`: they keep no provider). */
  async remove(ref: string, cascade: boolean): Promise<void> {
    await this.store.update((draft) => {
      const provider = findProvider(draft.oauth_providers, ref);
      const users = draft.auth_scopes.filter((scope) => scope.oauth_provider_id === provider.id);
      if (users.length > 0 && !cascade) {
        throw conflict(
          `OAuth provider "${provider.name}" is still used by ${users.map((s) => `auth scope ${s.name}`).join(', ')}; point those elsewhere first or repeat with ?cascade=true`,
          users.map((s) => ({ path: 'id', message: `used by auth scope ${s.id}` })),
        );
      }
      for (const scope of users) delete scope.oauth_provider_id;
      draft.oauth_providers = draft.oauth_providers.filter((p) => p.id !== provider.id);
    });
  }

  /** The decrypted client secret, for token requests only. Never log or return it. */
  clientSecret(provider: OAuthProvider): string | undefined {
    return provider.client_secret === undefined ? undefined : this.box.decrypt(provider.client_secret);
  }

  /** The stored provider (with its envelope), for the flows. */
  stored(ref: string, state: ConfigState = this.store.state): OAuthProvider {
    return findProvider(state.oauth_providers, ref);
  }
}
