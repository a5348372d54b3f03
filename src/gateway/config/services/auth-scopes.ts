import { notFound } from '../../errors.js';
import type { SecretBox } from '../../secrets/index.js';
import { parseBody } from '../parse.js';
import { authScopeCreateSchema, authScopeUpdateSchema, secretWriteSchema, SECRET_MASK, type AuthScope, type Source } from '../schemas/index.js';
import type { ConfigStore } from '../store.js';
import { dependantsConflict, findOrThrow, indexOrThrow, mergePatch, stamp, withId } from './common.js';

/** What the API shows of a scope: its variable names with masked values, never the secrets. */
export type AuthScopeView = AuthScope & { has_secrets: boolean };

/** Auth scopes: credentials injected into downstream servers, encrypted at rest. */
export class AuthScopeService {
  constructor(
    private readonly store: ConfigStore,
    private readonly box: SecretBox,
  ) {}

  list(): AuthScopeView[] {
    return this.store.state.auth_scopes.map(present);
  }

  get(id: string): AuthScopeView {
    return present(findOrThrow(this.store.state.auth_scopes, id, 'auth scope'));
  }

  async create(body: unknown, source: Source = 'api'): Promise<AuthScopeView> {
    const input = parseBody(authScopeCreateSchema, body);
    const created = await this.store.update((draft) => {
      const scope: AuthScope = { ...withId(input), env_vars: this.encryptAll(input.env_vars), ...stamp(source) };
      draft.auth_scopes.push(scope);
      return scope;
    });
    return present(created);
  }

  async update(id: string, body: unknown): Promise<AuthScopeView> {
    const patch = parseBody(authScopeUpdateSchema, body);
    const updated = await this.store.update((draft) => {
      const scope = findOrThrow(draft.auth_scopes, id, 'auth scope');
      const { env_vars: envPatch, ...rest } = patch;
      mergePatch(scope, { ...rest, updated_at: new Date().toISOString() });
      for (const [key, value] of Object.entries(envPatch ?? {})) {
        if (value === null) delete scope.env_vars[key];
        // Writing the mask back (a client echoing what it read) keeps the stored value.
        else if (value !== SECRET_MASK || !Object.hasOwn(scope.env_vars, key)) scope.env_vars[key] = this.box.encrypt(value);
      }
      return scope;
    });
    return present(updated);
  }

  async remove(id: string, cascade: boolean): Promise<void> {
    await this.store.update((draft) => {
      indexOrThrow(draft.auth_scopes, id, 'auth scope');
      const routes = draft.routes.filter((r) => r.auth_scope_id === id);
      if (routes.length > 0 && !cascade)
        dependantsConflict(
          'auth scope',
          id,
          routes.map((r) => `route ${r.id}`),
        );
      // Cascade: the routes stay and simply stop injecting these credentials.
      for (const route of routes) delete route.auth_scope_id;
      draft.auth_scopes = draft.auth_scopes.filter((a) => a.id !== id);
    });
  }

  /** GET /auth-scopes/{id}/secrets: the names of the stored values, never the values. */
  secretKeys(id: string): { keys: string[] } {
    return { keys: Object.keys(findOrThrow(this.store.state.auth_scopes, id, 'auth scope').env_vars) };
  }

  /** PUT /auth-scopes/{id}/secrets `{key, value}`: sets one value (the original's value endpoint). */
  async setSecret(id: string, body: unknown): Promise<{ status: 'ok' }> {
    const { key, value } = parseBody(secretWriteSchema, body);
    await this.store.update((draft) => {
      const scope = findOrThrow(draft.auth_scopes, id, 'auth scope');
      scope.env_vars[key] = this.box.encrypt(value);
      scope.updated_at = new Date().toISOString();
    });
    return { status: 'ok' };
  }

  /** DELETE /auth-scopes/{id}/secrets/{key}. */
  async deleteSecret(id: string, key: string): Promise<void> {
    await this.store.update((draft) => {
      const scope = findOrThrow(draft.auth_scopes, id, 'auth scope');
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

function present(scope: AuthScope): AuthScopeView {
  const masked: Record<string, string> = Object.create(null);
  for (const key of Object.keys(scope.env_vars)) masked[key] = SECRET_MASK;
  return { ...scope, env_vars: masked, has_secrets: Object.keys(scope.env_vars).length > 0 };
}
