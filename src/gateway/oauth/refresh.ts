import { refreshAuthorization } from '@modelcontextprotocol/client';
import { GatewayError } from '../errors.js';
import { clientInformation, serverMetadata } from './client-info.js';
import type { OAuthContext } from './context.js';
import { describeTokenError } from './errors.js';
import { recordFrom, wantsRefresh, type TokenRecord } from './token-record.js';

/**
 * Token refresh (RFC 6749 §6, through the SDK's `refreshAuthorization`): one refresh at a time
 * per scope (concurrent callers share it), sending the record's `scope` and `resource` again and
 * keeping the old refresh token, scope and resource when the answer leaves them out. A failure is
 * recorded on the scope (status `expired` with the reason) and thrown.
 */
export class Refresher {
  private readonly inflight = new Map<string, Promise<TokenRecord>>();
  private ctx!: OAuthContext;

  bind(ctx: OAuthContext): void {
    this.ctx = ctx;
  }

  isRefreshing(scopeId: string): boolean {
    return this.inflight.has(scopeId);
  }

  /**
   * Refreshes now (or joins the refresh in flight).
   * @throws GatewayError `unauthorized` (no refresh token, no provider, or the provider refused: connect again)
   */
  refresh(scopeId: string, why: string): Promise<TokenRecord> {
    let running = this.inflight.get(scopeId);
    if (!running) {
      running = this.run(scopeId, why).finally(() => this.inflight.delete(scopeId));
      this.inflight.set(scopeId, running);
    }
    return running;
  }

  /**
   * The scope's token, refreshed first when it is expired or nearly so (`wantsRefresh`). A failed
   * refresh of a token that has not expired yet still answers the old token.
   * @throws as `refresh` when the token has expired and cannot be refreshed
   */
  async fresh(scopeId: string): Promise<TokenRecord | undefined> {
    const record = this.ctx.tokens.read(scopeId);
    if (!record || !wantsRefresh(record)) return record;
    try {
      return await this.refresh(scopeId, 'expiring');
    } catch (error) {
      if (record.expires_at !== undefined && record.expires_at > Date.now()) return record;
      throw error;
    }
  }

  private async run(scopeId: string, why: string): Promise<TokenRecord> {
    const { tokens, store, providers, logger } = this.ctx;
    const scope = tokens.scope(scopeId);
    const record = tokens.read(scopeId);
    const name = scope?.name ?? scopeId;
    const provider = scope?.oauth_provider_id ? store.state.oauth_providers.find((p) => p.id === scope.oauth_provider_id) : undefined;
    if (!record?.refresh_token || !provider) {
      const reasonText = !record ? 'it holds no token' : !provider ? 'its OAuth provider is gone' : 'the provider gave no refresh token';
      await tokens.fail(scopeId, `the token cannot be refreshed: ${reasonText}`);
      throw connectAgain(name, reasonText);
    }
    try {
      const answer = await refreshAuthorization(provider.token_url, {
        metadata: serverMetadata(provider),
        clientInformation: clientInformation(provider, providers.clientSecret(provider)),
        refreshToken: record.refresh_token,
        ...(record.scope ? { scope: record.scope } : {}),
        ...(record.resource ? { resource: record.resource } : {}),
      });
      const next = recordFrom(answer, record);
      await tokens.write(scopeId, next);
      logger.info('OAuth token refreshed', { auth_scope: name, why });
      this.ctx.tokenChanged(scopeId, 'refreshed');
      return next;
    } catch (error) {
      const text = `refresh failed: ${describeTokenError(error, [record.refresh_token, record.access_token, providers.clientSecret(provider)])}`;
      logger.warn('OAuth token refresh failed', { auth_scope: name, why, reason: text });
      await tokens.fail(scopeId, text);
      throw connectAgain(name, text, error);
    }
  }
}

function connectAgain(scopeName: string, why: string, cause?: unknown): GatewayError {
  return new GatewayError(
    'unauthorized',
    `the OAuth token of auth scope "${scopeName}" has expired and cannot be refreshed (${why}); connect the account again ("MCPlexer: Connect Account…", or GET /api/v1/auth-scopes/{id}/oauth/authorize)`,
    cause === undefined ? {} : { cause },
  );
}
