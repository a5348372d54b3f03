/**
 * The dashboard page's sign-in, without DOM: a one-time code from the URL is spent for a session
 * secret (`POST /ui/session`, same origin), else a session kept in this tab's `sessionStorage` is
 * checked; failing these, the page asks for the token, which it spends at once for a code and the
 * code for a session: the token is sent once and never kept. Every API request then goes through
 * `apiFetch`, which sends the session in `X-MCPlexer-Session`, never a cookie, and reports a 401 so
 * the page can ask again.
 *
 * Why never keep the token: a kept token went out again with every reconnect, to whatever answered
 * on the port. A trial stopped the gateway, bound the port with a plain HTTP server and received
 * the API token twice in 20 s; the token outlives the daemon (`api-token`), a session does not.
 */
import { UI_SESSION_HEADER, type UiSession } from '../../shared/schemas/ui.js';

/** Where a page of an earlier version kept the API token: removed when found, never written. */
export const LEGACY_TOKEN_KEY = 'mcplexer.api-token';
/**
 * The sessionStorage key of the dashboard session: per origin, port included, unlike a cookie of
 * 127.0.0.1, which the browser would send to every local server the user visits.
 */
export const SESSION_KEY = 'mcplexer.ui-session';

export type SignIn = { mode: 'session'; session: string } | { mode: 'signed-out'; message?: string };

export interface AuthDeps {
  fetch: typeof fetch;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** The page's URL, read once; and how to replace it (history.replaceState) without the code. */
  href: string;
  replaceUrl(url: string): void;
}

/** The page URL without its `code` parameter (the rest of the query and the hash kept). */
export function withoutCode(href: string): { url: string; code: string | undefined } {
  const url = new URL(href);
  const code = url.searchParams.get('code') ?? undefined;
  url.searchParams.delete('code');
  return { url: `${url.pathname}${url.search}${url.hash}`, code };
}

const json = { 'content-type': 'application/json' };

/** Spends a one-time code for a session (`POST /ui/session`); undefined and why when refused. */
async function spendCode(fetchImpl: typeof fetch, code: string): Promise<{ session?: string; message: string }> {
  const response = await fetchImpl('/ui/session', { method: 'POST', headers: json, body: JSON.stringify({ code }), credentials: 'omit' });
  const session = response.ok ? ((await response.json().catch(() => undefined)) as Partial<UiSession> | undefined)?.session : undefined;
  if (typeof session === 'string' && session !== '') return { session, message: '' };
  return { message: response.ok ? 'the gateway answered the sign-in without a session' : await errorMessage(response) };
}

/**
 * Decides how the page is signed in. The code leaves the address bar first, whatever happens next,
 * so it is never bookmarked, shared or reloaded.
 */
export async function signIn(deps: AuthDeps): Promise<SignIn> {
  const { url, code } = withoutCode(deps.href);
  if (code !== undefined) {
    deps.replaceUrl(url);
    const { session, message } = await spendCode(deps.fetch, code);
    if (session !== undefined) {
      deps.storage.setItem(SESSION_KEY, session);
      return { mode: 'session', session };
    }
    return (await signInWithoutCode(deps)) ?? { mode: 'signed-out', message };
  }
  return (await signInWithoutCode(deps)) ?? { mode: 'signed-out' };
}

async function signInWithoutCode(deps: AuthDeps): Promise<SignIn | undefined> {
  deps.storage.removeItem(LEGACY_TOKEN_KEY);
  const session = deps.storage.getItem(SESSION_KEY);
  if (session) {
    if ((await deps.fetch('/ui/session', { headers: { [UI_SESSION_HEADER]: session }, credentials: 'omit' })).ok) return { mode: 'session', session };
    deps.storage.removeItem(SESSION_KEY);
  }
  return undefined;
}

/**
 * Signs in with a token typed into the form: the token buys one one-time code
 * (`POST /api/v1/ui/codes`, the only request it is sent with) and the code a session, which this
 * tab keeps. The token itself is not kept.
 */
export async function signInWithToken(deps: Pick<AuthDeps, 'fetch' | 'storage'>, typed: string): Promise<SignIn> {
  const token = typed.trim();
  if (!token) return { mode: 'signed-out', message: 'Enter the API token.' };
  const issued = await deps.fetch('/api/v1/ui/codes', {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${token}` },
    body: '{}',
    credentials: 'omit',
  });
  const code = issued.ok ? ((await issued.json().catch(() => undefined)) as { code?: unknown } | undefined)?.code : undefined;
  if (issued.status === 401) return { mode: 'signed-out', message: 'The gateway refused this token: copy it again with "mcplexer token".' };
  if (typeof code !== 'string') return { mode: 'signed-out', message: issued.ok ? 'the gateway answered without a code' : await errorMessage(issued) };
  const { session, message } = await spendCode(deps.fetch, code);
  if (session === undefined) return { mode: 'signed-out', message };
  deps.storage.setItem(SESSION_KEY, session);
  return { mode: 'session', session };
}

/** Signs out: ends the session at the gateway and in this tab. */
export async function signOut(deps: Pick<AuthDeps, 'fetch' | 'storage'>): Promise<void> {
  const session = deps.storage.getItem(SESSION_KEY);
  deps.storage.removeItem(LEGACY_TOKEN_KEY);
  deps.storage.removeItem(SESSION_KEY);
  if (session) await deps.fetch('/ui/session', { method: 'DELETE', headers: { [UI_SESSION_HEADER]: session }, credentials: 'omit' });
}

/**
 * The fetch every API call of the page goes through: the session header, no `Authorization` (an
 * empty bearer would be a wrong token), no cookies, and `onUnauthorized` on a 401 from /api/v1
 * (the session ended: the daemon restarted, or it went unused for 8 hours).
 */
export function apiFetch(base: typeof fetch, signedIn: Extract<SignIn, { mode: 'session' }>, onUnauthorized: () => void): typeof fetch {
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.delete('authorization');
    headers.set(UI_SESSION_HEADER, signedIn.session);
    const response = await base(input, { ...init, headers, credentials: 'omit' });
    if (response.status === 401) onUnauthorized();
    return response;
  };
}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `the gateway answered ${response.status}`;
}
