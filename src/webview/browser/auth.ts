/**
 * The dashboard page's sign-in, without DOM: a one-time code from the URL is spent for a session
 * secret (`POST /ui/session`, same origin), else a token or a session kept in this tab's
 * `sessionStorage` is checked; failing these, the page asks for the token. Every API request then
 * goes through `apiFetch`, which sends the bearer token (token mode) or the session in
 * `X-MCPlexer-Session` (session mode), never a cookie, and reports a 401 so the page can ask again.
 */
import { UI_SESSION_HEADER, type UiSession } from '../../shared/schemas/ui.js';

/** The sessionStorage key of the API token (this tab only; never localStorage, never a cookie). */
export const TOKEN_KEY = 'mcplexer.api-token';
/**
 * The sessionStorage key of the dashboard session: per origin, port included, unlike a cookie of
 * 127.0.0.1, which the browser would send to every local server the user visits.
 */
export const SESSION_KEY = 'mcplexer.ui-session';

export type SignIn = { mode: 'token'; token: string } | { mode: 'session'; session: string } | { mode: 'signed-out'; message?: string };

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

/** Whether a token is accepted: `GET /api/v1/health` with it answers the full report (200), or 401. */
export async function tokenWorks(fetchImpl: typeof fetch, token: string): Promise<boolean> {
  const response = await fetchImpl('/api/v1/health', { headers: { authorization: `Bearer ${token}` } });
  return response.ok;
}

/**
 * Decides how the page is signed in. The code leaves the address bar first, whatever happens next,
 * so it is never bookmarked, shared or reloaded.
 */
export async function signIn(deps: AuthDeps): Promise<SignIn> {
  const { url, code } = withoutCode(deps.href);
  if (code !== undefined) {
    deps.replaceUrl(url);
    const response = await deps.fetch('/ui/session', { method: 'POST', headers: json, body: JSON.stringify({ code }), credentials: 'omit' });
    const session = response.ok ? ((await response.json().catch(() => undefined)) as Partial<UiSession> | undefined)?.session : undefined;
    if (typeof session === 'string' && session !== '') {
      deps.storage.setItem(SESSION_KEY, session);
      return { mode: 'session', session };
    }
    const message = response.ok ? 'the gateway answered the sign-in without a session' : await errorMessage(response);
    return (await signInWithoutCode(deps)) ?? { mode: 'signed-out', message };
  }
  return (await signInWithoutCode(deps)) ?? { mode: 'signed-out' };
}

async function signInWithoutCode(deps: AuthDeps): Promise<SignIn | undefined> {
  const token = deps.storage.getItem(TOKEN_KEY);
  if (token) {
    if (await tokenWorks(deps.fetch, token)) return { mode: 'token', token };
    deps.storage.removeItem(TOKEN_KEY);
  }
  const session = deps.storage.getItem(SESSION_KEY);
  if (session) {
    if ((await deps.fetch('/ui/session', { headers: { [UI_SESSION_HEADER]: session }, credentials: 'omit' })).ok) return { mode: 'session', session };
    deps.storage.removeItem(SESSION_KEY);
  }
  return undefined;
}

/** Checks a token typed into the form and keeps it for this tab. */
export async function signInWithToken(deps: Pick<AuthDeps, 'fetch' | 'storage'>, typed: string): Promise<SignIn> {
  const token = typed.trim();
  if (!token) return { mode: 'signed-out', message: 'Enter the API token.' };
  if (!(await tokenWorks(deps.fetch, token))) return { mode: 'signed-out', message: 'The gateway refused this token: copy it again with "mcplexer token".' };
  deps.storage.setItem(TOKEN_KEY, token);
  return { mode: 'token', token };
}

/** Signs out: forgets the token, and ends the session at the gateway and in this tab. */
export async function signOut(deps: Pick<AuthDeps, 'fetch' | 'storage'>): Promise<void> {
  const session = deps.storage.getItem(SESSION_KEY);
  deps.storage.removeItem(TOKEN_KEY);
  deps.storage.removeItem(SESSION_KEY);
  if (session) await deps.fetch('/ui/session', { method: 'DELETE', headers: { [UI_SESSION_HEADER]: session }, credentials: 'omit' });
}

/**
 * The fetch every API call of the page goes through: the bearer token (token mode) or the session
 * header (session mode, with no `Authorization`: an empty bearer would be a wrong token), no
 * cookies, and `onUnauthorized` on a 401 from /api/v1 (the token changed, the daemon restarted).
 */
export function apiFetch(base: typeof fetch, signedIn: SignIn, onUnauthorized: () => void): typeof fetch {
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (signedIn.mode === 'token') headers.set('authorization', `Bearer ${signedIn.token}`);
    else headers.delete('authorization');
    if (signedIn.mode === 'session') headers.set(UI_SESSION_HEADER, signedIn.session);
    const response = await base(input, { ...init, headers, credentials: 'omit' });
    if (response.status === 401) onUnauthorized();
    return response;
  };
}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `the gateway answered ${response.status}`;
}
