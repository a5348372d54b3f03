/**
 * The browser dashboard over real HTTP against a real gateway: the page and its bundles are served
 * without the token under a strict CSP and never with CORS headers; a one-time code (only a token
 * holder can get one) is spent once for a session secret, within its lifetime, answered in the body
 * and never as a cookie (a browser sends a cookie of 127.0.0.1 to every port of it: an attacker's
 * local server received it); the secret, in X-MCPlexer-Session, stands in for the token on /api/v1
 * only when the browser says the request comes from the gateway's own page (its Origin, or
 * Sec-Fetch-Site: same-origin on a GET), never on /mcp; Host is still checked (DNS rebinding).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/** A request where every header is exactly as given (Host, Origin, Cookie, Sec-Fetch-Site). */
function send(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers }, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

let t: TestGateway;
let own: string;
beforeAll(async () => {
  t = await startTestGateway();
  own = `http://127.0.0.1:${t.gw.port}`;
});
afterAll(() => t?.close());

const bearer = () => ({ authorization: `Bearer ${t.token}` });
const json = { 'content-type': 'application/json' };

async function newCode(gw = t): Promise<string> {
  const res = await send(gw.url, 'POST', '/api/v1/ui/codes', { authorization: `Bearer ${gw.token}`, ...json }, '{}');
  expect(res.status).toBe(201);
  return res.json().code as string;
}

async function exchange(code: unknown, headers: Record<string, string> = { origin: own }, gw = t): Promise<Answer> {
  return send(gw.url, 'POST', '/ui/session', { ...json, ...headers }, JSON.stringify({ code }));
}

/** A live session of the test gateway, as the header that carries it. */
async function sessionHeader(gw = t): Promise<{ 'x-mcplexer-session': string }> {
  const res = await exchange(await newCode(gw), gw === t ? { origin: own } : {}, gw);
  expect(res.status).toBe(200);
  return { 'x-mcplexer-session': res.json().session as string };
}

const accessControl = (res: Answer) => Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));

describe('the page and its files', () => {
  it('serves / without a token, with a strict CSP, no framing, no referrer, no sniffing, and no secret in it', async () => {
    const res = await send(t.url, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    for (const directive of [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.text).toContain(`<script nonce="${nonce}" src="/ui/assets/browser.js">`);
    expect(res.text).not.toContain(t.token);
    // A fresh nonce per response.
    expect(String((await send(t.url, 'GET', '/')).headers['content-security-policy'])).not.toContain(nonce);
  });

  it('serves each view as a document only its own page may frame, which may fetch nothing', async () => {
    for (const view of ['servers', 'routes']) {
      const res = await send(t.url, 'GET', `/ui/view/${view}`);
      expect(res.status).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).not.toContain('connect-src');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.text).toContain(`/ui/assets/${view}.js`);
    }
  });

  it('serves the bundles with their types and nosniff', async () => {
    const js = await send(t.url, 'GET', '/ui/assets/browser.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect((await send(t.url, 'GET', '/ui/assets/servers.css')).headers['content-type']).toMatch(/^text\/css/);
    expect((await send(t.url, 'GET', '/ui/assets/codicon.ttf')).headers['content-type']).toBe('font/ttf');
  });

  it.each([
    '/ui/assets/..%2Fcli.js',
    '/ui/assets/../cli.js',
    '/ui/assets/.hidden.js',
    '/ui/assets/api-token',
    '/ui/assets/nope.js',
    '/ui/view/browser',
    '/ui/view/..%2F..%2Fetc',
    '/ui/view/nope',
  ])('answers 404 for %s (no path reaches the disk outside the bundles)', async (path) => {
    const res = await send(t.url, 'GET', path);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('#!/usr/bin/env node');
  });

  it.each(['evil.example', `evil.example:${8080}`, 'rebind.attacker.test'])('refuses the page and the session for Host %s (DNS rebinding)', async (host) => {
    expect((await send(t.url, 'GET', '/', { host })).status).toBe(403);
    expect((await send(t.url, 'GET', '/ui/assets/browser.js', { host })).status).toBe(403);
    expect((await send(t.url, 'POST', '/ui/session', { host, ...json }, '{"code":"x"}')).status).toBe(403);
  });

  it('lets a cross-site top-level navigation open the page only (the private page of `mcplexer open` is a file: page), nothing else', async () => {
    const navigate = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    expect((await send(t.url, 'GET', '/?code=x', navigate)).status).toBe(200);
    expect((await send(t.url, 'GET', '/', { ...navigate, 'sec-fetch-dest': 'iframe' })).status).toBe(403);
    expect((await send(t.url, 'GET', '/', { ...navigate, 'sec-fetch-mode': 'no-cors' })).status).toBe(403);
    for (const other of ['/ui/view/servers', '/ui/assets/browser.js', '/api/v1/health', '/ui/session'])
      expect((await send(t.url, 'GET', other, navigate)).status, other).toBe(403);
    expect((await send(t.url, 'POST', '/ui/session', { ...navigate, ...json }, '{"code":"x"}')).status).toBe(403);
  });

  it('sets no CORS header anywhere, and a preflight from another origin gets a 403 without one', async () => {
    const session = await sessionHeader();
    const answers = [
      await send(t.url, 'GET', '/'),
      await send(t.url, 'GET', '/api/v1/workspaces', { ...bearer(), origin: own }),
      await send(t.url, 'GET', '/api/v1/workspaces', { ...session, origin: own }),
      await send(t.url, 'OPTIONS', '/api/v1/workspaces', { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'GET' }),
      await send(t.url, 'OPTIONS', '/api/v1/downstreams', {
        origin: own,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      }),
      await send(t.url, 'POST', '/ui/session', { origin: 'http://localhost:1', ...json }, '{"code":"x"}'),
    ];
    expect(answers[3]!.status).toBe(403);
    expect(answers.flatMap(accessControl)).toEqual([]);
  });
});

describe('one-time codes and the session', () => {
  it('issues codes only to a token holder: no token 401, a session 403', async () => {
    expect((await send(t.url, 'POST', '/api/v1/ui/codes', json, '{}')).status).toBe(401);
    const session = await sessionHeader();
    const res = await send(t.url, 'POST', '/api/v1/ui/codes', { ...json, ...session, origin: own }, '{}');
    expect(res.status).toBe(403);
    expect(res.json().error.message).toContain('Bearer');
  });

  it('refuses a session what answers or writes the token: a client install’s preview, install and uninstall (403); the token may', async () => {
    const session = await sessionHeader();
    for (const [method, path] of [
      ['GET', '/api/v1/mcp-install/cursor/preview'],
      ['POST', '/api/v1/mcp-install/cursor/install'],
      ['POST', '/api/v1/mcp-install/cursor/uninstall'],
      // The import's list and import: a client's entries may hold credentials (docs/security.md).
      ['GET', '/api/v1/mcp-install/cursor/servers'],
      ['POST', '/api/v1/mcp-install/cursor/import'],
    ] as const) {
      const refused = await send(t.url, method, path, { ...json, ...session, origin: own }, method === 'POST' ? '{}' : undefined);
      expect(refused.status, path).toBe(403);
      expect(refused.json().error.message).toContain('not a dashboard session');
      expect(refused.text).not.toContain(t.token);
    }
    expect((await send(t.url, 'GET', '/api/v1/mcp-install/status', { ...session, origin: own })).status).toBe(200);
    expect((await send(t.url, 'GET', '/api/v1/mcp-install/cursor/preview', bearer())).status).not.toBe(403);
  });

  it('answers every /api/v1 request no-store and nosniff, errors too, so nothing lands in a browser’s cache', async () => {
    const session = await sessionHeader();
    for (const path of ['/api/v1/downstreams', '/api/v1/audit', '/api/v1/health', '/api/v1/no-such-thing']) {
      const res = await send(t.url, 'GET', path, { ...session, origin: own });
      expect(res.headers['cache-control'], path).toBe('no-store');
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
    }
    // The guards' refusals too: no token (401), a foreign Origin (403).
    for (const headers of [{}, { ...bearer(), origin: 'http://evil.example' }]) {
      const refused = await send(t.url, 'GET', '/api/v1/workspaces', headers);
      expect([401, 403]).toContain(refused.status);
      expect(refused.headers['cache-control']).toBe('no-store');
    }
    // And the event streams (headers only: the stream stays open, so the request is dropped).
    for (const path of ['/api/v1/events', '/api/v1/audit/stream', '/api/v1/approvals/stream']) {
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = request(`${t.url}${path}`, { headers: bearer() }, (res) => (resolve(res.headers), req.destroy()));
        req.on('error', reject).end();
      });
      expect(headers['cache-control'], path).toMatch(/^no-store/);
    }
  });

  it('exchanges a code once for a session secret in the body, never a cookie, never cached', async () => {
    const code = await newCode();
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({ session: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(first.json().session).not.toBe(code);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(first.headers['cache-control']).toBe('no-store');
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(again.json().error.message).toContain('mcplexer open');
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['a wrong code', 'not-a-code'],
    ['an empty code', ''],
    ['a number', 7],
  ])('refuses %s with 401', async (_label, code) => {
    await newCode();
    const res = await exchange(code);
    expect(res.status).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses an expired code, and one from another gateway', async () => {
    const short = await startTestGateway({ ui: { codeTtlMs: 150 } });
    try {
      const code = await newCode(short);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await exchange(code, {}, short)).status).toBe(401);
      expect((await exchange(await newCode(short), {}, short)).status).toBe(200);
      expect((await exchange(await newCode(short))).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('refuses a code sent as a form or from another origin', async () => {
    const code = await newCode();
    const form = await send(t.url, 'POST', '/ui/session', { origin: own, 'content-type': 'application/x-www-form-urlencoded' }, `code=${code}`);
    expect(form.status).toBe(415);
    expect((await exchange(code, { origin: `http://127.0.0.1:${t.gw.port + 1}` })).status).toBe(403);
    // Neither spent it.
    expect((await exchange(code)).status).toBe(200);
  });

  it('accepts the session in place of the token from the own origin (writes too) and for same-origin GETs', async () => {
    const session = await sessionHeader();
    expect((await send(t.url, 'GET', '/api/v1/workspaces', { ...session, origin: own })).status).toBe(200);
    expect((await send(t.url, 'GET', '/api/v1/workspaces', { ...session, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await send(t.url, 'GET', '/api/v1/health', { ...session, 'sec-fetch-site': 'same-origin' })).json()).toHaveProperty('data_dir', t.home);
    const created = await send(
      t.url,
      'POST',
      '/api/v1/workspaces',
      { ...session, origin: own, ...json },
      JSON.stringify({ id: 'from-page', name: 'p', root_path: '/tmp/from-page' }),
    );
    expect(created.status).toBe(201);
    expect(t.readConfig().workspaces.some((w) => w.id === 'from-page')).toBe(true);
    expect((await send(t.url, 'GET', '/ui/session', { ...session, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('refuses the session from another origin with 403, whatever port or name it has', async () => {
    const session = await sessionHeader();
    const before = t.configText();
    for (const origin of [`http://127.0.0.1:${t.gw.port + 1}`, 'http://localhost:1', 'https://evil.example', 'null']) {
      expect((await send(t.url, 'GET', '/api/v1/workspaces', { ...session, origin })).status).toBe(403);
      const write = await send(
        t.url,
        'POST',
        '/api/v1/workspaces',
        { ...session, origin, ...json },
        JSON.stringify({ id: 'evil', name: 'e', root_path: '/tmp/evil' }),
      );
      expect(write.status).toBe(403);
    }
    expect(t.configText()).toBe(before);
  });

  it('does not count the session without proof of the own page: no Origin on a write, same-site or no Sec-Fetch-Site, a trusted origin', async () => {
    const session = await sessionHeader();
    const before = t.configText();
    const body = JSON.stringify({ id: 'evil2', name: 'e', root_path: '/tmp/evil2' });
    expect((await send(t.url, 'POST', '/api/v1/workspaces', { ...session, ...json, 'sec-fetch-site': 'same-origin' }, body)).status).toBe(401);
    expect((await send(t.url, 'GET', '/api/v1/workspaces', { ...session, 'sec-fetch-site': 'same-site' })).status).toBe(401);
    expect((await send(t.url, 'GET', '/api/v1/workspaces', { ...session })).status).toBe(401);
    expect((await send(t.url, 'GET', '/api/v1/health', { ...session, 'sec-fetch-site': 'same-site' })).json()).not.toHaveProperty('data_dir');
    expect(t.configText()).toBe(before);
    const trusting = await startTestGateway({ env: { MCPLEXER_TRUSTED_ORIGINS: 'http://127.0.0.1:9' } });
    try {
      const theirs = await sessionHeader(trusting);
      expect((await send(trusting.url, 'GET', '/api/v1/workspaces', { ...theirs, origin: 'http://127.0.0.1:9' })).status).toBe(401);
    } finally {
      await trusting.close();
    }
  });

  it('never lets the session open /mcp, and a wrong bearer is not rescued by a good session', async () => {
    const session = await sessionHeader();
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    const mcp = await send(t.url, 'POST', '/mcp', { ...session, origin: own, ...json, accept: 'application/json, text/event-stream' }, init);
    expect(mcp.status).toBe(401);
    expect((await send(t.url, 'GET', '/api/v1/workspaces', { ...session, origin: own, authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
  });

  it('is never ambient: a cookie holding a live session (the old cookie sign-in, or any name) opens nothing', async () => {
    const session = await sessionHeader();
    const secret = session['x-mcplexer-session'];
    for (const cookie of [`mcplexer_session_${t.gw.port}=${secret}`, `x-mcplexer-session=${secret}`, `session=${secret}`]) {
      expect((await send(t.url, 'GET', '/api/v1/workspaces', { cookie, origin: own })).status).toBe(401);
      expect((await send(t.url, 'GET', '/ui/session', { cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(401);
    }
    // The same secret in its header is live.
    expect((await send(t.url, 'GET', '/api/v1/workspaces', { ...session, origin: own })).status).toBe(200);
  });

  it('ends the session on sign-out and with the daemon', async () => {
    const session = await sessionHeader();
    const out = await send(t.url, 'DELETE', '/ui/session', { ...session, origin: own });
    expect(out.status).toBe(204);
    expect((await send(t.url, 'GET', '/api/v1/workspaces', { ...session, origin: own })).status).toBe(401);

    const gw = await startTestGateway();
    const home = gw.home;
    const theirs = await sessionHeader(gw);
    await gw.stop();
    const again = await startTestGateway({ home });
    try {
      expect((await send(again.url, 'GET', '/api/v1/workspaces', { ...theirs, origin: `http://127.0.0.1:${again.gw.port}` })).status).toBe(401);
    } finally {
      await again.close();
    }
  });
});
