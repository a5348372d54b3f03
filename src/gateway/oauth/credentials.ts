import { GatewayError } from '../errors.js';
import type { OAuthContext } from './context.js';

/** The current token for each HTTP request, and one refresh after a 401 (the downstream pool's `bearer`). */
export interface BearerSource {
  /** The `Authorization` value to send now (refreshed first when expiring), or undefined. */
  current(): Promise<string | undefined>;
  /** The server answered 401 to `rejected`: the token to retry with once, or undefined (no retry). */
  refreshAfter401(rejected: string): Promise<string | undefined>;
}

/** What an instance of a server under a scope gets: env vars (stdio), headers (HTTP), and for OAuth a bearer source. */
export interface ScopeCredentials {
  env: Record<string, string>;
  headers: Record<string, string>;
  bearer?: BearerSource;
}

export const DEFAULT_TOKEN_ENV_VAR = 'ACCESS_TOKEN';

/**
 * A scope's credentials at instance start: its stored values for both env and headers, and for
 * an `oauth2` scope `<token_env_var>=<token>` (default `ACCESS_TOKEN`) for a stdio child and a
 * bearer source for an HTTP server, which reads the current token on every request.
 * @throws GatewayError `unauthorized` when an oauth2 scope holds no usable token (connect the account)
 */
export async function scopeCredentials(ctx: OAuthContext, scopeId: string, values: Record<string, string>): Promise<ScopeCredentials> {
  const scope = ctx.tokens.scope(scopeId);
  if (scope?.type !== 'oauth2') return { env: values, headers: values };
  const record = await ctx.refresher.fresh(scopeId);
  if (!record) {
    throw new GatewayError(
      'unauthorized',
      `auth scope "${scope.name}" is not connected to its OAuth account yet${scope.oauth_error ? ` (${scope.oauth_error})` : ''}: run "MCPlexer: Connect Account…" or open GET /api/v1/auth-scopes/${scope.id}/oauth/authorize`,
    );
  }
  const bearer: BearerSource = {
    current: async () => {
      const fresh = await ctx.refresher.fresh(scopeId);
      return fresh ? `Bearer ${fresh.access_token}` : undefined;
    },
    refreshAfter401: async (rejected) => {
      const now = ctx.tokens.read(scopeId);
      // Someone refreshed since this request left: retry with theirs, no second refresh.
      if (now && `Bearer ${now.access_token}` !== rejected) return `Bearer ${now.access_token}`;
      if (!now?.refresh_token) return undefined;
      try {
        return `Bearer ${(await ctx.refresher.refresh(scopeId, 'downstream answered 401')).access_token}`;
      } catch (error) {
        // The refresher recorded and logged it; the caller sees the server's own 401.
        ctx.logger.debug('no retry after 401', { auth_scope: scope.name, reason: (error as Error).message });
        return undefined;
      }
    },
  };
  return { env: { ...values, [scope.token_env_var ?? DEFAULT_TOKEN_ENV_VAR]: record.access_token }, headers: values, bearer };
}
