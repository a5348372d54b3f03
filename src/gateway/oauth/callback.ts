import { exchangeAuthorization } from '@modelcontextprotocol/client';
import { escapeHtml } from '../../shared/html.js';
import { clientInformation, serverMetadata, withoutCodeVerifier } from './client-info.js';
import type { OAuthContext } from './context.js';
import { describeTokenError } from './errors.js';
import { recordFrom } from './token-record.js';

/** What the callback page says: success names the scope; a failure says what went wrong. */
export type CallbackOutcome = { ok: true; scopeName: string } | { ok: false; message: string };

/** The callback's query, as Express parsed it (any field may be missing, repeated or odd). */
export type CallbackQuery = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * `GET /oauth/callback?state&code`: takes the `state` (single use), exchanges the code
 * (the SDK's `exchangeAuthorization`: form POST, `Accept: application/json`, the PKCE verifier,
 * `resource`, the RFC 9207 `iss` check when the provider sends one) and stores the tokens
 * encrypted in the scope. Never throws: every failure becomes an outcome, and a failure that
 * belongs to a known scope is recorded on it (its status shows the error); the tokens it had are
 * left as they were, so nothing is half-stored.
 */
export async function completeAuthorization(ctx: OAuthContext, query: CallbackQuery): Promise<CallbackOutcome> {
  const stateParam = text(query.state);
  if (!stateParam) return { ok: false, message: 'The request has no state parameter, so it cannot be matched to an authorization. Start again from MCPlexer.' };
  const pending = ctx.pending.take(stateParam);
  if (pending === 'unknown') {
    return {
      ok: false,
      message: 'This authorization is unknown or was already used (each link works once, and a gateway restart forgets them). Start again from MCPlexer.',
    };
  }
  if (pending === 'expired') return { ok: false, message: 'This authorization expired (it must be completed within 10 minutes). Start again from MCPlexer.' };
  const fail = async (message: string): Promise<CallbackOutcome> => {
    await ctx.tokens.fail(pending.scopeId, message).catch((error: Error) => ctx.logger.warn('recording an OAuth failure failed', { reason: error.message }));
    return { ok: false, message };
  };
  const providerError = text(query.error);
  if (providerError) {
    const description = text(query.error_description);
    return fail(`The provider refused the authorization: ${providerError}${description ? ` (${description})` : ''}.`);
  }
  const code = text(query.code);
  if (!code) return fail('The provider sent no authorization code.');
  const provider = ctx.store.state.oauth_providers.find((p) => p.id === pending.providerId);
  if (!provider) return fail('The OAuth provider of this authorization was deleted meanwhile.');
  const scopeName = ctx.tokens.scope(pending.scopeId)?.name;
  if (scopeName === undefined) return { ok: false, message: 'The auth scope of this authorization was deleted meanwhile.' };
  try {
    const tokens = await exchangeAuthorization(provider.token_url, {
      metadata: serverMetadata(provider),
      clientInformation: clientInformation(provider, ctx.providers.clientSecret(provider)),
      authorizationCode: code,
      ...(text(query.iss) ? { iss: text(query.iss) } : {}),
      codeVerifier: pending.codeVerifier,
      redirectUri: pending.redirectUri,
      ...(pending.resource ? { resource: pending.resource } : {}),
      ...(pending.usePkce ? {} : { fetchFn: withoutCodeVerifier() }),
    });
    const requested = provider.scopes.join(' ');
    await ctx.tokens.write(
      pending.scopeId,
      recordFrom(tokens, { ...(requested ? { scope: requested } : {}), ...(pending.resource ? { resource: pending.resource } : {}) }),
    );
  } catch (error) {
    const message = `The token exchange failed: ${describeTokenError(error, [code, pending.codeVerifier, ctx.providers.clientSecret(provider)])}.`;
    ctx.logger.warn('OAuth token exchange failed', { auth_scope: scopeName, reason: message });
    return fail(message);
  }
  ctx.logger.info('OAuth account connected', { auth_scope: scopeName });
  ctx.tokenChanged(pending.scopeId, 'authorized');
  return { ok: true, scopeName };
}

/** The small HTML page the browser shows after the callback; every reflected text is escaped. */
export function callbackPage(outcome: CallbackOutcome): string {
  const title = outcome.ok ? 'Account connected' : 'Authorization failed';
  const body = outcome.ok
    ? `<p>MCPlexer now holds the token for auth scope <strong>${escapeHtml(outcome.scopeName)}</strong>.</p>`
    : `<p>${escapeHtml(outcome.message)}</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MCPlexer: ${title}</title>
<style>body{font:15px system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}h1{font-size:1.4em}</style></head>
<body><h1 id="result" data-ok="${outcome.ok}">${title}</h1>${body}<p>You can close this browser tab and return to your editor.</p></body></html>`;
}
