import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

const downstream = { name: 'Evil', command: 'sh', args: ['-c', 'touch /tmp/pwned'], namespace: 'evil' };
const auth = () => ({ authorization: `Bearer ${t.token}` });
const own = () => `http://127.0.0.1:${t.gw.port}`;

describe('Host header (DNS rebinding)', () => {
  it.each([
    'evil.example',
    `evil.example:${8080}`,
    'attacker.localhost.example',
    '10.0.0.1',
    // Not of the form host[:port], though they begin with a loopback name (a security trial: accepted).
    `localhost:${8080}@evil.example`,
    '[::1]evil.example',
    'localhost:80:81',
    'localhost:port',
    '127.0.0.1/x',
  ])('refuses Host %s with 403, even with the token', async (host) => {
    const res = await rawRequest(t.url, 'GET', '/api/v1/workspaces', { host, ...auth() });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(res.body.error.message).toContain('MCPLEXER_TRUSTED_HOSTS');
  });

  it('refuses a foreign Host on health too', async () => {
    expect((await rawRequest(t.url, 'GET', '/api/v1/health', { host: 'evil.example' })).status).toBe(403);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])('accepts the loopback Host %s (with the port)', async (name) => {
    const res = await rawRequest(t.url, 'GET', '/api/v1/workspaces', { host: `${name}:${t.gw.port}`, ...auth() });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
  });

  it('accepts a host listed in MCPLEXER_TRUSTED_HOSTS', async () => {
    const g = await startTestGateway({ env: { MCPLEXER_TRUSTED_HOSTS: 'mcp.internal, other.internal' } });
    try {
      const res = await rawRequest(g.url, 'GET', '/api/v1/workspaces', { host: 'mcp.internal', authorization: `Bearer ${g.token}` });
      expect(res.status).toBe(200);
      expect((await rawRequest(g.url, 'GET', '/api/v1/workspaces', { host: 'evil.example', authorization: `Bearer ${g.token}` })).status).toBe(403);
    } finally {
      await g.close();
    }
  });
});

describe('Origin and Sec-Fetch-Site (browser requests)', () => {
  it.each(['https://evil.example', 'http://localhost.evil.example', 'http://127.0.0.1:1', 'null', 'vscode-webview://abc'])(
    'refuses Origin %s with 403, even with the token',
    async (origin) => {
      const res = await t.api('GET', '/workspaces', undefined, { origin });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    },
  );

  it('a POST /downstreams from another origin creates nothing', async () => {
    const listBefore = (await t.api('GET', '/downstreams')).body;
    const fileBefore = t.configText();
    const res = await t.api('POST', '/downstreams', downstream, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const noOriginButCrossSite = await t.api('POST', '/downstreams', downstream, { 'sec-fetch-site': 'cross-site' });
    expect(noOriginButCrossSite.status).toBe(403);
    expect((await t.api('GET', '/downstreams')).body).toEqual(listBefore);
    expect(t.configText()).toBe(fileBefore);
    expect(fileBefore).not.toContain('"evil"');
  });

  it('refuses Sec-Fetch-Site: cross-site without Origin (403), allows same-origin and none', async () => {
    expect((await t.api('GET', '/workspaces', undefined, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await t.api('GET', '/workspaces', undefined, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await t.api('GET', '/workspaces', undefined, { 'sec-fetch-site': 'none' })).status).toBe(200);
  });

  it("accepts the gateway's own origin http://127.0.0.1:<port> (and localhost) for writes", async () => {
    const res = await t.api('POST', '/downstreams', { ...downstream, name: 'Own origin', namespace: 'own' }, { origin: own() });
    expect(res.status).toBe(201);
    expect(t.readConfig().downstreams.some((s) => s.id === res.body.id)).toBe(true);
    expect((await t.api('GET', '/workspaces', undefined, { origin: `http://localhost:${t.gw.port}` })).status).toBe(200);
  });

  it('accepts an origin listed in MCPLEXER_TRUSTED_ORIGINS', async () => {
    const g = await startTestGateway({ env: { MCPLEXER_TRUSTED_ORIGINS: 'https://dash.example' } });
    try {
      expect((await g.api('GET', '/workspaces', undefined, { origin: 'https://dash.example' })).status).toBe(200);
      expect((await g.api('GET', '/workspaces', undefined, { origin: 'https://evil.example' })).status).toBe(403);
    } finally {
      await g.close();
    }
  });
});

describe('bearer token', () => {
  it.each([
    ['no Authorization header', null, 'the API token is missing'],
    ['a wrong token', 'Bearer wrong-token', 'the API token is wrong'],
    ['a token one character off', 'off-by-one', 'the API token is wrong'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'not of the form "Bearer <token>"'],
    ['the right token without its scheme', 'bare-token', 'not of the form "Bearer <token>"'],
  ])('refuses %s with 401, saying which mistake it is', async (_label, header, says) => {
    const value = header === 'off-by-one' ? `Bearer ${t.token.slice(0, -1)}x` : header === 'bare-token' ? t.token : header;
    for (const [method, apiPath] of [
      ['GET', '/workspaces'],
      ['GET', '/settings'],
      ['GET', '/openapi.json'],
      ['POST', '/downstreams'],
    ] as const) {
      const res = await t.api(method, apiPath, method === 'POST' ? downstream : undefined, { authorization: value });
      expect(res.status, `${method} ${apiPath}`).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.body.error.message).toContain('api-token');
      expect(res.body.error.message).toContain(says);
      if (value) expect(res.body.error.message).not.toContain(value.replace(/^\w+ /, ''));
    }
    expect(t.configText()).not.toContain('"evil"');
  });

  it('answers 401 (not 404 or 501) for unknown and later-issue paths without the token', async () => {
    expect((await t.api('GET', '/no-such-thing', undefined, { authorization: null })).status).toBe(401);
    expect((await t.api('GET', '/audit', undefined, { authorization: null })).status).toBe(401);
  });

  it('serves liveness health without a token, and the details only with it', async () => {
    const res = await t.api('GET', '/health', undefined, { authorization: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String), uptime_seconds: expect.any(Number), mode: expect.any(String) });
    const full = await t.api('GET', '/health');
    expect(full.body).toMatchObject({ status: 'ok', data_dir: t.home });
    expect(Array.isArray(full.body.downstreams)).toBe(true);
    expect((await t.api('GET', '/health', undefined, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
  });

  it('writes the token to <home>/api-token with mode 0600, and that token works', async () => {
    const file = path.join(t.home, 'api-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    expect(token).toBe(t.token);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect((await t.api('GET', '/workspaces', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('keeps the same token across a restart, and a fresh home gets a different one', async () => {
    const first = await startTestGateway();
    try {
      await first.stop();
      const second = await startTestGateway({ home: first.home });
      expect(second.token).toBe(first.token);
      await second.stop();
      expect(first.token).not.toBe(t.token);
    } finally {
      await first.close();
    }
  });
});
