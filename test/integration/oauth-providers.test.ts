/**
 * OAuth providers, templates, discovery and quick-setup over the real REST API, against
 * oauth2-mock-server on loopback: `client_secret` is write-only and encrypted (an empty one on PUT
 * keeps the stored one), templates are sorted by id with the callback URL of this gateway,
 * discovery takes https or loopback http only (400) and answers 502 when nothing answers, and
 * quick-setup names `github`, `github-2`… while an explicit taken name is a 409.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startMockProvider, type MockProvider } from '../fixtures/oauth-servers.js';
import { freePort } from '../fixtures/downstream-servers.js';

let t: TestGateway;
let mock: MockProvider;
beforeAll(async () => {
  [t, mock] = await Promise.all([startTestGateway(), startMockProvider()]);
});
afterAll(async () => {
  await t?.close();
  await mock?.stop();
});

describe('OAuth providers', () => {
  it('stores client_secret encrypted, never answers it, and keeps it on a PUT with an empty one', async () => {
    const created = await t.api('POST', '/oauth-providers', {
      name: 'mock',
      authorize_url: `${mock.issuer}/authorize`,
      token_url: `${mock.issuer}/token`,
      client_id: 'cid',
      client_secret: 'very-secret-value-1',
      scopes: ['read'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'mock', auth_url: `${mock.issuer}/authorize`, has_client_secret: true, use_pkce: true });
    expect(created.body).not.toHaveProperty('client_secret');
    expect(t.configText()).not.toContain('very-secret-value-1');
    const stored = t.readConfig().oauth_providers[0]!.client_secret;
    expect(stored).toMatch(/^enc:v1:/);

    const put = await t.api('PUT', `/oauth-providers/${created.body.id}`, { client_secret: '', scopes: ['read', 'write'] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ has_client_secret: true, scopes: ['read', 'write'] });
    expect(t.readConfig().oauth_providers[0]!.client_secret).toBe(stored);

    const list = await t.api('GET', '/oauth-providers');
    expect(list.body.map((p: { name: string }) => p.name)).toEqual(['mock']);
    expect(JSON.stringify(list.body)).not.toContain('enc:v1:');
  });

  it('a template fills the endpoints; without one, the missing URLs are named', async () => {
    const gh = await t.api('POST', '/oauth-providers', { name: 'gh', template_id: 'github', client_id: 'x' });
    expect(gh.status).toBe(201);
    expect(gh.body).toMatchObject({
      auth_url: 'https://github.com/login/oauth/authorize',
      token_url: 'https://github.com/login/oauth/access_token',
      use_pkce: true,
      has_client_secret: false,
    });
    const bad = await t.api('POST', '/oauth-providers', { name: 'bad', client_id: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['auth_url', 'token_url']);
    const unknown = await t.api('POST', '/oauth-providers', { name: 'bad', template_id: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('github');
  });

  it('DELETE of a provider a scope uses is a 409 naming the scope, unless cascade', async () => {
    const p = await t.api('POST', '/oauth-providers', { name: 'used', template_id: 'linear' });
    await t.api('POST', '/auth-scopes', { name: 'uses-it', type: 'oauth2', oauth_provider_id: p.body.id });
    const refused = await t.api('DELETE', `/oauth-providers/${p.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('uses-it');
    expect((await t.api('DELETE', `/oauth-providers/${p.body.id}?cascade=true`)).status).toBe(204);
    expect((await t.api('GET', '/auth-scopes/uses-it')).body).not.toHaveProperty('oauth_provider_id');
  });
});

describe('GET /oauth-templates', () => {
  it('lists the templates sorted by id, with their real endpoints and this gateway’s callback URL', async () => {
    const res = await t.api('GET', '/oauth-templates');
    expect(res.status).toBe(200);
    const ids = res.body.map((x: { id: string }) => x.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['atlassian', 'clickup', 'github', 'gitlab', 'google', 'linear', 'notion', 'slack']));
    const byId = Object.fromEntries(res.body.map((x: { id: string }) => [x.id, x]));
    expect(byId.github).toMatchObject({
      scopes: ['repo', 'read:org', 'gist', 'workflow', 'read:user', 'user:email', 'project'],
      use_pkce: true,
      needs_secret: true,
    });
    expect(byId.linear).toMatchObject({ scopes: ['read', 'write'], use_pkce: true, supports_auto_discovery: true, needs_secret: false });
    expect(byId.clickup).toMatchObject({ scopes: [], use_pkce: false });
    expect(byId.google.scopes).toEqual(['openid', 'email', 'profile']);
    expect(byId.slack.authorize_url).toBe('https://slack.com/oauth/v2_user/authorize');
    for (const template of res.body) expect(template.callback_url).toBe(`${t.url}/api/v1/oauth/callback`);
  });
});

describe('POST /oauth-providers/discover', () => {
  it('reads a loopback issuer’s metadata', async () => {
    const res = await t.api('POST', '/oauth-providers/discover', { issuer_url: mock.issuer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: mock.issuer,
      authorize_url: `${mock.issuer}/authorize`,
      token_url: `${mock.issuer}/token`,
      revocation_url: `${mock.issuer}/revoke`,
      userinfo_url: `${mock.issuer}/userinfo`,
      use_pkce: true,
    });
  });

  it.each(['http://example.com', 'http://10.0.0.1:8080/issuer', 'ftp://localhost/x'])('refuses %s with 400 naming issuer_url', async (issuer_url) => {
    const res = await t.api('POST', '/oauth-providers/discover', { issuer_url });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('issuer_url');
  });

  it('answers 502 when the issuer does not answer, or publishes nothing', async () => {
    const down = await t.api('POST', '/oauth-providers/discover', { issuer_url: `http://127.0.0.1:${await freePort()}` });
    expect(down.status).toBe(502);
    expect(down.body.error.message).toMatch(/discovery .* failed/);
    const nothing = await t.api('POST', '/oauth-providers/discover', { issuer_url: `${t.url}/nothing-here` });
    expect(nothing.status).toBe(502);
  });
});

describe('POST /auth-scopes/oauth-quick-setup', () => {
  it('names github, then github-2; an explicit taken name is a 409; server_id points the routes', async () => {
    const server = await t.api('POST', '/downstreams', { name: 'GH', namespace: 'ghq', command: process.execPath, args: ['-e', ''] });
    const route = await t.api('POST', '/routes', { workspace_id: 'global', server_id: server.body.id });
    const body = { provider_template: 'github', client_id: 'gh-client', client_secret: 'gh-secret-value', server_id: server.body.id };
    const first = await t.api('POST', '/auth-scopes/oauth-quick-setup', body);
    expect(first.status).toBe(201);
    expect(first.body.auth_scope).toMatchObject({ name: 'github', type: 'oauth2', oauth_provider_id: first.body.provider.id });
    expect(first.body.provider).toMatchObject({ name: 'github', template_id: 'github', has_client_secret: true });
    const url = new URL(first.body.authorize_url);
    expect(url.origin + url.pathname).toBe('https://github.com/login/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('repo read:org gist workflow read:user user:email project');
    expect((await t.api('GET', `/routes/${route.body.id}`)).body.auth_scope_id).toBe(first.body.auth_scope.id);

    const second = await t.api('POST', '/auth-scopes/oauth-quick-setup', body);
    expect(second.status).toBe(201);
    expect(second.body.auth_scope.name).toBe('github-2');
    const taken = await t.api('POST', '/auth-scopes/oauth-quick-setup', { ...body, name: 'github-2' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details[0].path).toBe('name');
    const noSecret = await t.api('POST', '/auth-scopes/oauth-quick-setup', { provider_template: 'google', client_id: 'x' });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error.details[0].path).toBe('client_secret');
  });
});
