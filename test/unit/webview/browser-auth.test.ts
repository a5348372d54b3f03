import { describe, expect, it } from 'vitest';
import { apiFetch, LEGACY_TOKEN_KEY, SESSION_KEY, signIn, signInWithToken, signOut, withoutCode, type AuthDeps } from '../../../src/webview/browser/auth.js';

/**
 * The dashboard page's sign-in: a code leaves the address bar before anything else and is spent
 * once for a session secret, kept in this tab's sessionStorage; a stored session is checked before
 * it is used; else the page asks for the token, which buys one code and is never kept. API calls
 * carry the X-MCPlexer-Session header, never the token, never cookies, and a 401 is reported.
 */
const TOKEN = 't'.repeat(43);
const SESSION = 's'.repeat(43);

function gatewayDouble(options: { validCode?: string } = {}) {
  const requests: Array<{ url: string; method: string; headers: Headers; body?: string; credentials?: RequestCredentials }> = [];
  const fetchImpl = (async (input: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const method = init.method ?? 'GET';
    requests.push({ url: String(input), method, headers, body: init.body as string | undefined });
    const status = (ok: boolean) =>
      new Response(ok ? '{}' : JSON.stringify({ error: { code: 'unauthorized', message: 'the one-time code is wrong' } }), { status: ok ? 200 : 401 });
    requests.at(-1)!.credentials = init.credentials;
    if (input === '/ui/session' && method === 'POST')
      return JSON.parse(String(init.body)).code === options.validCode ? new Response(JSON.stringify({ session: SESSION })) : status(false);
    if (input === '/ui/session') return status(headers.get('x-mcplexer-session') === SESSION);
    if (input === '/api/v1/ui/codes' && method === 'POST')
      return headers.get('authorization') === `Bearer ${TOKEN}` ? new Response(JSON.stringify({ code: 'minted' }), { status: 201 }) : status(false);
    return status(true);
  }) as unknown as typeof fetch;
  return { fetchImpl, requests };
}

function deps(href: string, fetchImpl: typeof fetch, stored?: string, storedSession?: string) {
  const items = new Map<string, string>([
    ...(stored ? [[LEGACY_TOKEN_KEY, stored] as const] : []),
    ...(storedSession ? [[SESSION_KEY, storedSession] as const] : []),
  ]);
  const replaced: string[] = [];
  const d: AuthDeps = {
    fetch: fetchImpl,
    storage: { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) },
    href,
    replaceUrl: (url) => void replaced.push(url),
  };
  return { d, items, replaced };
}

describe('withoutCode', () => {
  it.each([
    ['http://127.0.0.1:8080/?code=abc', '/', 'abc'],
    ['http://127.0.0.1:8080/?code=a%2Bb&x=1#audit', '/?x=1#audit', 'a+b'],
    ['http://127.0.0.1:8080/#servers', '/#servers', undefined],
  ])('%s → %s', (href, url, code) => {
    expect(withoutCode(href)).toEqual({ url, code });
  });
});

describe('signIn', () => {
  it('removes the code from the address bar first, then spends it for a session kept in this tab, sending no cookie', async () => {
    const gw = gatewayDouble({ validCode: 'good' });
    const { d, replaced, items } = deps('http://127.0.0.1:8080/?code=good#routes', gw.fetchImpl);
    expect(await signIn(d)).toEqual({ mode: 'session', session: SESSION });
    expect(replaced).toEqual(['/#routes']);
    expect(gw.requests[0]).toMatchObject({ url: '/ui/session', method: 'POST', body: '{"code":"good"}', credentials: 'omit' });
    expect(gw.requests[0]!.headers.get('content-type')).toBe('application/json');
    expect(items.get(SESSION_KEY)).toBe(SESSION);
  });

  it('says why a code is refused; a token an earlier version kept is removed, never sent', async () => {
    const gw = gatewayDouble({ validCode: 'good' });
    const legacy = deps('http://h/?code=used', gw.fetchImpl, TOKEN);
    expect(await signIn(legacy.d)).toEqual({ mode: 'signed-out', message: 'the one-time code is wrong' });
    expect(legacy.items.has(LEGACY_TOKEN_KEY)).toBe(false);
    expect(gw.requests.some((r) => r.headers.has('authorization'))).toBe(false);
  });

  it("uses this tab's session after a reload once the gateway says it is live, and forgets a dead one", async () => {
    const gw = gatewayDouble();
    expect(await signIn(deps('http://h/', gw.fetchImpl, undefined, SESSION).d)).toEqual({ mode: 'session', session: SESSION });
    expect(gw.requests.at(-1)!.headers.get('x-mcplexer-session')).toBe(SESSION);
    const dead = deps('http://h/', gw.fetchImpl, undefined, 'ended-session');
    expect(await signIn(dead.d)).toEqual({ mode: 'signed-out' });
    expect(dead.items.has(SESSION_KEY)).toBe(false);
  });
});

describe('signInWithToken and signOut', () => {
  it('spends a typed token (trimmed) for one code and the code for a session; keeps the session, never the token', async () => {
    const gw = gatewayDouble({ validCode: 'minted' });
    const { d, items } = deps('http://h/', gw.fetchImpl);
    expect(await signInWithToken(d, '   ')).toMatchObject({ mode: 'signed-out', message: expect.stringContaining('Enter') });
    expect(await signInWithToken(d, 'wrong')).toMatchObject({ mode: 'signed-out', message: expect.stringContaining('mcplexer token') });
    expect(items.size).toBe(0);
    expect(await signInWithToken(d, ` ${TOKEN}\n`)).toEqual({ mode: 'session', session: SESSION });
    expect([...items]).toEqual([[SESSION_KEY, SESSION]]);
    // The token went out with the code requests only, and the session request carried none.
    expect(gw.requests.filter((r) => r.headers.has('authorization')).map((r) => r.url)).toEqual(['/api/v1/ui/codes', '/api/v1/ui/codes']);
    expect(gw.requests.at(-1)).toMatchObject({ url: '/ui/session', method: 'POST', body: '{"code":"minted"}', credentials: 'omit' });
    await signOut(d);
    expect(items.size).toBe(0);
  });

  it('signing out ends the session at the gateway and forgets it', async () => {
    const gw = gatewayDouble();
    const { d, items } = deps('http://h/', gw.fetchImpl, undefined, SESSION);
    await signOut(d);
    expect(items.size).toBe(0);
    expect(gw.requests.at(-1)).toMatchObject({ url: '/ui/session', method: 'DELETE' });
    expect(gw.requests.at(-1)!.headers.get('x-mcplexer-session')).toBe(SESSION);
  });
});

describe('apiFetch', () => {
  it('sends the session header and no Authorization, never cookies, and reports a 401', async () => {
    const seen: Headers[] = [];
    const credentials: Array<RequestCredentials | undefined> = [];
    let status = 200;
    const base = (async (_input: string, init: RequestInit) => (
      seen.push(new Headers(init.headers)),
      credentials.push(init.credentials),
      new Response('{}', { status })
    )) as unknown as typeof fetch;
    let unauthorized = 0;
    const fetchImpl = apiFetch(base, { mode: 'session', session: SESSION }, () => void unauthorized++);
    await fetchImpl('/api/v1/workspaces', { headers: { authorization: 'Bearer ', accept: 'x' } });
    expect(seen[0]!.has('authorization')).toBe(false);
    expect(seen[0]!.get('x-mcplexer-session')).toBe(SESSION);
    expect(seen[0]!.get('accept')).toBe('x');
    expect(credentials).toEqual(['omit']);
    expect(unauthorized).toBe(0);
    status = 401;
    await fetchImpl('/api/v1/workspaces');
    expect(unauthorized).toBe(1);
  });
});
