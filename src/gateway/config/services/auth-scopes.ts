import type { AuthScopeView } from '../../../shared/api.js';
import { conflict, notFound } from '../../errors.js';
import type { SecretBox } from '../../secrets/index.js';
import { parseBody } from '../parse.js';
import { authScopeCreateSchema, authScopeUpdateSchema, secretWriteSchema, SECRET_MASK, type AuthScope, type Source } from '../schemas/index.js';
import type { ConfigStore } from '../store.js';
import { dependantsConflict, findOrThrow, mergePatch, refuseNameIdClash, refuseYamlManaged, stamp, withId, type ServiceOptions } from './common.js';

const SCOPE_KEYS = (a: AuthScope): Array<[string, string | undefined]> => [['name', a.name]];
import { resolveBodyRefs } from './body-refs.js';
import { byName, findByRef } from './resolve.js';
import { withoutReadOnly, writableFields } from './read-only.js';

const WRITABLE = writableFields(authScopeUpdateSchema);

const findScope = (scopes: readonly AuthScope[], ref: string) => findByRef(scopes, ref, 'auth scope', [byName]);

// What the API shows of a scope (its variable names with masked values, never the secrets): the wire type.
export type { AuthScopeView };

/** Auth scopes: credentials injected into downstream servers, encrypted at rest. Every `ref` is an id or a name. */
export class AuthScopeService {
  constructor(
    private readonly store: ConfigStore,
    private readonly box: SecretBox,
    private readonly options: ServiceOptions = {},
  ) {}

  list(): AuthScopeView[] {
    return this.store.state.auth_scopes.map(present);
  }

  /** @throws GatewayError `not_found`. */
  get(ref: string): AuthScopeView {
    return present(findScope(this.store.state.auth_scopes, ref));
  }

  async create(body: unknown, source: Source = 'api'): Promise<AuthScopeView> {
    const input = parseBody(authScopeCreateSchema, body);
    const created = await this.store.update((draft) => {
      resolveBodyRefs(draft, input);
      const scope: AuthScope = { ...withId(input), env_vars: this.encryptAll(input.env_vars), ...stamp(source) };
      refuseNameIdClash(draft.auth_scopes, scope, SCOPE_KEYS, 'auth scope');
      draft.auth_scopes.push(scope);
      return scope;
    });
    return present(created);
  }

  async update(ref: string, body: unknown): Promise<AuthScopeView> {
    const patch = parseBody(
      authScopeUpdateSchema,
      withoutReadOnly(body, WRITABLE, () => this.get(ref)),
    );
    const updated = await this.store.update((draft) => {
      const scope = findScope(draft.auth_scopes, ref);
      resolveBodyRefs(draft, patch);
      const { env_vars: envPatch, ...rest } = patch;
      const previousType = scope.type;
      mergePatch(scope, { ...rest, updated_at: new Date().toISOString() });
      if (rest.name !== undefined) refuseNameIdClash(draft.auth_scopes, scope, SCOPE_KEYS, 'auth scope');
      // OAuth fields mean nothing for an env or header scope: a type change away drops them unless sent.
      if (previousType === 'oauth2' && scope.type !== 'oauth2') {
        if (patch.oauth_provider_id === undefined) delete scope.oauth_provider_id;
        if (patch.token_env_var === undefined) delete scope.token_env_var;
        delete scope.oauth_token;
        delete scope.oauth_error;
      }
      if (patch.server_id) {
        const other = draft.routes.filter((r) => r.auth_scope_id === scope.id && r.server_id !== undefined && r.server_id !== patch.server_id);
        if (other.length > 0)
          throw conflict(
            `auth scope "${scope.name}" is used by route rules of another server (${other.map((r) => r.id).join(', ')}); its credentials would go to the wrong server: point those rules elsewhere first`,
            other.map((r) => ({ path: 'server_id', message: `route ${r.id} uses server "${r.server_id}"` })),
          );
      }
      for (const [key, value] of Object.entries(envPatch ?? {})) {
        if (value === null) delete scope.env_vars[key];
        // Writing the mask back (a client echoing what it read) keeps the stored value.
        else if (value !== SECRET_MASK || !Object.hasOwn(scope.env_vars, key)) scope.env_vars[key] = this.box.encrypt(value);
      }
      return scope;
    });
    return present(updated);
  }

  async remove(ref: string, cascade: boolean): Promise<void> {
    await this.store.update((draft) => {
      const id = findScope(draft.auth_scopes, ref).id;
      const routes = draft.routes.filter((r) => r.auth_scope_id === id);
      if (routes.length > 0 && !cascade)
        dependantsConflict(
          'auth scope',
          id,
          routes.map((r) => `route ${r.id}`),
        );
      for (const route of routes) refuseYamlManaged(route, 'route rule', this.options);
      // Cascade: the routes stay and simply stop injecting these credentials.
      for (const route of routes) delete route.auth_scope_id;
      draft.auth_scopes = draft.auth_scopes.filter((a) => a.id !== id);
    });
  }

  /** GET /auth-scopes/{id}/secrets: the names of the stored values, never the values. */
  secretKeys(ref: string): { keys: string[] } {
    return { keys: Object.keys(findScope(this.store.state.auth_scopes, ref).env_vars) };
  }

  /** PUT /auth-scopes/{id}/secrets `{key, value}`: sets one value (the original's value endpoint). */
  async setSecret(ref: string, body: unknown): Promise<{ status: 'ok' }> {
    const { key, value } = parseBody(secretWriteSchema, body);
    await this.store.update((draft) => {
      const scope = findScope(draft.auth_scopes, ref);
      scope.env_vars[key] = this.box.encrypt(value);
      scope.updated_at = new Date().toISOString();
    });
    return { status: 'ok' };
  }

  /** DELETE /auth-scopes/{id}/secrets/{key}. */
  async deleteSecret(ref: string, key: string): Promise<void> {
    await this.store.update((draft) => {
      const scope = findScope(draft.auth_scopes, ref);
      if (!Object.hasOwn(scope.env_vars, key)) throw notFound('secret', key);
      delete scope.env_vars[key];
      scope.updated_at = new Date().toISOString();
    });
  }

  /** The decrypted values of a scope, for injection only. Never log or return them. */
  secretValues(id: string): Record<string, string> {
    const scope = findOrThrow(this.store.state.auth_scopes, id, 'auth scope');
    const values: Record<string, string> = Object.create(null);
    for (const [key, envelope] of Object.entries(scope.env_vars)) values[key] = this.box.decrypt(envelope);
    return values;
  }

  private encryptAll(values: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    for (const [key, value] of Object.entries(values)) out[key] = this.box.encrypt(value);
    return out;
  }
}

/** The wire form: values masked, the OAuth token envelope left out (oauth/ answers its status). */
export function present(scope: AuthScope): AuthScopeView {
  const masked: Record<string, string> = Object.create(null);
  for (const key of Object.keys(scope.env_vars)) masked[key] = SECRET_MASK;
  const { oauth_token: _token, ...rest } = scope;
  return { ...rest, env_vars: masked, has_secrets: Object.keys(scope.env_vars).length > 0 || scope.oauth_token !== undefined };
}
