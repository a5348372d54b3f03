import type { OAuthTokens } from '@modelcontextprotocol/client';
import type { OAuthStatus } from '../../shared/schemas/index.js';

/** What one scope holds after an exchange or a refresh, kept encrypted in `auth_scopes[].oauth_token`. Times in ms since the epoch. */
export interface TokenRecord {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  /** Absent when the provider gave no `expires_in` (the token does not expire as far as we know). */
  expires_at?: number;
  obtained_at: number;
  /** The granted scopes, space-joined, as the provider answered (or as requested when it did not say). */
  scope?: string;
  /** The RFC 8707 resource indicator it was issued for; sent again on every refresh. */
  resource?: string;
}

/** Status turns `refresh_needed` (and a use refreshes) under this much time left (ms). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A token record from the SDK's parsed token response, keeping what the previous record had
 * when the response leaves it out (refresh token, granted scope, resource: RFC 6749 §6 lets a
 * refresh answer omit them).
 */
export function recordFrom(tokens: OAuthTokens, previous: Partial<TokenRecord>, now = Date.now()): TokenRecord {
  const scope = tokens.scope ?? previous.scope;
  const refresh = tokens.refresh_token ?? previous.refresh_token;
  return {
    access_token: tokens.access_token,
    token_type: tokens.token_type || 'Bearer',
    ...(refresh ? { refresh_token: refresh } : {}),
    ...(typeof tokens.expires_in === 'number' ? { expires_at: now + tokens.expires_in * 1000 } : {}),
    obtained_at: now,
    ...(scope ? { scope } : {}),
    ...(previous.resource ? { resource: previous.resource } : {}),
  };
}

/**
 * Whether a use should refresh first: expired, or under `REFRESH_MARGIN_MS` left, but never
 * under half the token's own lifetime left, so a provider issuing 2-minute tokens is not asked
 * again on every call.
 */
export function wantsRefresh(record: TokenRecord, now = Date.now()): boolean {
  const due = refreshDueAt(record);
  return due !== undefined && now >= due;
}

/** When `wantsRefresh` turns true (ms since the epoch), or undefined for a token that is never refreshed. */
export function refreshDueAt(record: TokenRecord): number | undefined {
  if (record.expires_at === undefined || !record.refresh_token) return undefined;
  return record.expires_at - Math.min(REFRESH_MARGIN_MS, (record.expires_at - record.obtained_at) / 2);
}

/** The status of a scope's token (GET …/oauth/status); `error` is the last failed exchange or refresh. */
export function statusOf(record: TokenRecord | undefined, opts: { refreshing: boolean; error?: string; now?: number }): OAuthStatus {
  const now = opts.now ?? Date.now();
  const error = opts.error === undefined ? {} : { error: opts.error };
  if (!record) return { status: 'not_configured', scopes: [], ...error };
  const base = {
    scopes: record.scope ? record.scope.split(' ').filter(Boolean) : [],
    ...(record.expires_at === undefined ? {} : { expires_at: new Date(record.expires_at).toISOString() }),
    ...error,
  };
  if (opts.refreshing) return { status: 'refreshing', ...base };
  const left = record.expires_at === undefined ? Infinity : record.expires_at - now;
  // A failed refresh leaves the token rejected or about to be: expired, with the reason.
  if (left <= 0 || opts.error !== undefined) return { status: 'expired', ...base };
  if (left < REFRESH_MARGIN_MS && record.refresh_token) return { status: 'refresh_needed', ...base };
  return { status: 'valid', ...base };
}
