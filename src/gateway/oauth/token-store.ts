import type { AuthScope, ConfigStore } from '../config/index.js';
import { notFound } from '../errors.js';
import type { SecretBox } from '../secrets/index.js';
import type { TokenRecord } from './token-record.js';

/**
 * The tokens of each `oauth2` scope, sealed with the secret box into `auth_scopes[].oauth_token`
 * (config.json never holds one in clear), with the last failure in `oauth_error`. Reads decrypt
 * once per stored envelope: the per-request bearer path reads a cached object.
 */
export class TokenStore {
  private readonly cache = new Map<string, { envelope: string; record: TokenRecord }>();

  constructor(
    private readonly store: ConfigStore,
    private readonly box: SecretBox,
  ) {}

  scope(scopeId: string): AuthScope | undefined {
    return this.store.state.auth_scopes.find((s) => s.id === scopeId);
  }

  /** The scope's token record, if it holds one. */
  read(scopeId: string): TokenRecord | undefined {
    const envelope = this.scope(scopeId)?.oauth_token;
    if (envelope === undefined) return undefined;
    const cached = this.cache.get(scopeId);
    if (cached?.envelope === envelope) return cached.record;
    const record = JSON.parse(this.box.decrypt(envelope)) as TokenRecord;
    this.cache.set(scopeId, { envelope, record });
    return record;
  }

  /** Stores a new record and clears the last error, in one write. @throws GatewayError `not_found` (scope deleted meanwhile). */
  async write(scopeId: string, record: TokenRecord): Promise<void> {
    const envelope = this.box.encrypt(JSON.stringify(record));
    await this.store.update((draft) => {
      const scope = draft.auth_scopes.find((s) => s.id === scopeId);
      if (!scope) throw notFound('auth scope', scopeId);
      scope.oauth_token = envelope;
      delete scope.oauth_error;
      scope.updated_at = new Date().toISOString();
    });
    this.cache.set(scopeId, { envelope, record });
  }

  /** Records why the last exchange or refresh failed (the tokens stay as they were). A deleted scope is left alone. */
  async fail(scopeId: string, reason: string): Promise<void> {
    await this.store.update((draft) => {
      const scope = draft.auth_scopes.find((s) => s.id === scopeId);
      if (scope) scope.oauth_error = reason;
    });
  }

  /** Forgets the tokens and the last error. */
  async clear(scopeId: string): Promise<void> {
    await this.store.update((draft) => {
      const scope = draft.auth_scopes.find((s) => s.id === scopeId);
      if (!scope) return;
      delete scope.oauth_token;
      delete scope.oauth_error;
      scope.updated_at = new Date().toISOString();
    });
    this.cache.delete(scopeId);
  }

  /** The clear access and refresh tokens of a scope, for redaction only. */
  secrets(scopeId: string): string[] {
    const record = this.read(scopeId);
    return record ? [record.access_token, ...(record.refresh_token ? [record.refresh_token] : [])] : [];
  }
}
