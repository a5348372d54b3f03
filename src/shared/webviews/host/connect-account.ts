/**
 * Connecting a server's OAuth account, as the editor's "Connect Account" and the Servers view do
 * it (docs/oauth.md): which scope to authorize, and waiting until the gateway holds its token.
 * Only the REST client: the caller opens the URL (VS Code's `openExternal`, or the browser page).
 */
import type { RestClient } from '../../rest-client.js';
import type { OAuthStatus } from '../../schemas/oauth.js';

export type ConnectClient = Pick<RestClient, 'downstreamOAuthStatus' | 'oauthAuthorize' | 'connectDownstream' | 'oauthStatus'>;

/** The scope to connect and the URL to open; `authorize_url` null when it already holds a valid token. */
export interface ConnectStart {
  auth_scope_id: string;
  auth_scope_name: string;
  authorize_url: string | null;
  /** The scope's last error before this attempt: waiting ignores it (only a new one ends the wait). */
  previous_error?: string;
}

/**
 * How to connect server `serverRef`: the first scope on its routes that is not authenticated gets
 * a fresh authorize URL; with none on its routes, `POST /downstreams/{id}/connect` makes the scope
 * and its allow route (a template's provider, or discovery and dynamic registration); when every
 * scope is authenticated, the first one with `authorize_url: null`.
 * @throws ApiError (the gateway's refusal: no credentials for a template, no dynamic registration…)
 */
export async function beginConnect(client: ConnectClient, serverRef: string): Promise<ConnectStart> {
  const { entries } = await client.downstreamOAuthStatus(serverRef);
  const waiting = entries.find((e) => e.status !== 'authenticated');
  if (waiting) return beginScope(client, waiting.auth_scope_id, waiting.auth_scope_name);
  if (entries[0]) return { auth_scope_id: entries[0].auth_scope_id, auth_scope_name: entries[0].auth_scope_name, authorize_url: null };
  const answer = await client.connectDownstream(serverRef, {});
  return { auth_scope_id: answer.auth_scope.id, auth_scope_name: answer.auth_scope.name, authorize_url: answer.authorize_url };
}

/** A fresh authorize URL for one scope, with its current error (see `ConnectStart.previous_error`). @throws ApiError */
export async function beginScope(client: ConnectClient, scopeId: string, scopeName: string): Promise<ConnectStart> {
  const before = await client.oauthStatus(scopeId);
  const { authorize_url } = await client.oauthAuthorize(scopeId);
  return { auth_scope_id: scopeId, auth_scope_name: scopeName, authorize_url, ...(before.error ? { previous_error: before.error } : {}) };
}

export const CONNECTED: ReadonlySet<OAuthStatus['status']> = new Set(['valid', 'refresh_needed', 'refreshing']);

export type WaitOutcome = { ok: true; status: OAuthStatus } | { ok: false; reason: 'error' | 'timeout' | 'cancelled'; message: string };

export interface WaitOptions {
  /** Between two status reads, ms (default 1000). */
  intervalMs?: number;
  /** Give up after, ms (default 10 minutes: an authorization link lives that long). */
  timeoutMs?: number;
  /** Stops the wait (the user cancelled the progress notification). */
  cancelled?: () => boolean;
  /** The scope's error before the attempt: it does not end the wait; a different one does. */
  previousError?: string;
}

/**
 * Reads `GET /auth-scopes/{id}/oauth/status` until the scope is connected (`valid`, or
 * `refresh_needed`/`refreshing`: a token is held), a new error shows (the callback's: provider
 * refusal, failed exchange), the link expires (10 minutes) or the caller cancels. A status read
 * that fails is retried until then (the gateway restarting voids the link anyway).
 */
export async function waitForConnection(client: ConnectClient, scopeId: string, options: WaitOptions = {}): Promise<WaitOutcome> {
  const interval = options.intervalMs ?? 1000;
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let lastFailure = '';
  for (;;) {
    if (options.cancelled?.()) return { ok: false, reason: 'cancelled', message: 'cancelled; the link stays usable until it expires' };
    try {
      const status = await client.oauthStatus(scopeId);
      if (CONNECTED.has(status.status) && status.error === undefined) return { ok: true, status };
      if (status.error !== undefined && status.error !== options.previousError) return { ok: false, reason: 'error', message: status.error };
    } catch (error) {
      lastFailure = ` (the last status read failed: ${error instanceof Error ? error.message : String(error)})`;
    }
    if (Date.now() >= deadline) {
      return { ok: false, reason: 'timeout', message: `the sign-in was not completed within 10 minutes, so its link expired; connect again${lastFailure}` };
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
