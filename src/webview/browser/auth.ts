/**
 * The dashboard page's sign-in, without DOM: a one-time code from the URL is spent for the session
 * cookie (`POST /ui/session`, same origin), else a token kept in `sessionStorage` is checked, else a
 * live cookie from earlier in this browser session is used; failing all three, the page asks for
 * the token. Every API request then goes through `apiFetch`, which sends the bearer token (token
 * mode) or only the cookie (session mode), and reports a 401 so the page can ask again.
 */

/** The sessionStorage key of the API token (this tab only; never localStorage, never a cookie). */
export const TOKEN_KEY = 'mcplexer.api-token';

export type SignIn = { mode: 'token'; token: string } | { mode: 'session' } | { mode: 'signed-out'; message?: string };

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
    const response = await deps.fetch('/ui/session', { method: 'POST', headers: json, body: JSON.stringify({ code }) });
    if (response.ok) return { mode: 'session' };
    const message = await errorMessage(response);
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
  if ((await deps.fetch('/ui/session')).ok) return { mode: 'session' };
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

/** Signs out: forgets the token and ends the cookie session. */
export async function signOut(deps: Pick<AuthDeps, 'fetch' | 'storage'>): Promise<void> {
  deps.storage.removeItem(TOKEN_KEY);
  await deps.fetch('/ui/session', { method: 'DELETE' });
}

/**
 * The fetch every API call of the page goes through: same-origin credentials (the cookie), no
 * `Authorization` header when the page signed in by cookie (an empty bearer would be a wrong
 * token), and `onUnauthorized` on a 401 from /api/v1 (the token changed, the daemon restarted).
 */
export function apiFetch(base: typeof fetch, signedIn: SignIn, onUnauthorized: () => void): typeof fetch {
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (signedIn.mode === 'token') headers.set('authorization', `Bearer ${signedIn.token}`);
    else headers.delete('authorization');
    const response = await base(input, { ...init, headers, credentials: 'same-origin' });
    if (response.status === 401) onUnauthorized();
    return response;
  };
}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `the gateway answered ${response.status}`;
}
