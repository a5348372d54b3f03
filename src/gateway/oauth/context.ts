import type { AuthScope, ConfigStore } from '../config/index.js';
import { findByRef } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SecretBox } from '../secrets/index.js';
import type { PendingAuthorizations } from './pending.js';
import type { ProviderService } from './providers.js';
import type { TokenRecord } from './token-record.js';
import type { TokenStore } from './token-store.js';

/** Why a scope's tokens changed: the pool restarts what holds the old token (see README). */
export type TokenChange = 'authorized' | 'refreshed' | 'revoked';

/** The refresher as the flows use it (refresh.ts; an interface here, so the two files do not import each other). */
export interface TokenRefresher {
  isRefreshing(scopeId: string): boolean;
  refresh(scopeId: string, why: string): Promise<TokenRecord>;
  fresh(scopeId: string): Promise<TokenRecord | undefined>;
}

/** What the flows of this module share; built once by `OAuthService`. */
export interface OAuthContext {
  store: ConfigStore;
  box: SecretBox;
  logger: Logger;
  providers: ProviderService;
  tokens: TokenStore;
  pending: PendingAuthorizations;
  refresher: TokenRefresher;
  /** `<external URL>/api/v1/oauth/callback`, read per request (the port may change between starts). */
  callbackUrl(): string;
  tokenChanged(scopeId: string, change: TokenChange): void;
}

/** An auth scope by id or name. @throws GatewayError `not_found`, `conflict` */
export function findScope(scopes: readonly AuthScope[], ref: string): AuthScope {
  return findByRef(scopes, ref, 'auth scope', [(s) => s.name]);
}

/** @throws GatewayError `validation_failed` unless the scope is of type oauth2 */
export function requireOAuthScope(scope: AuthScope): void {
  if (scope.type === 'oauth2') return;
  throw new GatewayError(
    'validation_failed',
    `auth scope "${scope.name}" is of type ${scope.type}; set "type": "oauth2" (PUT /api/v1/auth-scopes/${scope.id}) to use OAuth`,
    {
      details: [{ path: 'type', message: 'must be oauth2' }],
    },
  );
}

/** The first of `base`, `base-2`, `base-3`… that `taken` does not hold. */
export function nextFreeName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}
