/**
 * The authorization-code flow with PKCE over real HTTP, end to end: the gateway's authorize URL,
 * oauth2-mock-server's authorize endpoint redirecting to the gateway's callback, the code
 * exchanged, the token encrypted in the scope (in no file of the data dir in clear), and used by
 * real downstream servers: a stdio child reading `SERVICE_TOKEN`, and an HTTP server protected
 * with the SDK's `requireBearerAuth` reading the header. Then: refresh on expiry (the stdio child
 * restarted with the new token, scope kept), one refresh after a 401, revocation at the provider,
 * and bad input (tampered, replayed, expired state; wrong code; provider down; garbage answer)
 * ending on a clear page and status with nothing half-stored.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectHttp, text } from '../helpers/mcp.js';
import { freePort, waitFor } from '../fixtures/downstream-servers.js';
import { sha256, startMockProvider, startProtectedMcp, type MockProvider, type ProtectedMcp } from '../fixtures/oauth-servers.js';

const ENV_SERVER = path.resolve(__dirname, '../fixtures/oauth-env-server.mjs');
let t: TestGateway;
let mock: MockProvider;
let remote: ProtectedMcp;
let client: Client;
let providerId: string;

/** Opens an authorize URL as a browser would: the provider redirects to the callback, which answers a page. */
async function follow(
  authorizeUrl: string,
  tamper: (callback: URL) => void = () => {},
): Promise<{ status: number; html: string; callback: string; headers: Headers }> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const callback = new URL(res.headers.get('location')!);
  tamper(callback);
  const page = await fetch(callback, { headers: { 'sec-fetch-site': 'cross-site' } });
  return { status: page.status, html: await page.text(), callback: callback.href, headers: page.headers };
}

async function newScope(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.api('POST', '/auth-scopes', { name, type: 'oauth2', oauth_provider_id: providerId, token_env_var: 'SERVICE_TOKEN', ...extra });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function authorize(scopeId: string): Promise<string> {
  const res = await t.api('GET', `/auth-scopes/${scopeId}/oauth/authorize`);
  expect(res.status).toBe(200);
  return res.body.authorize_url;
}

const status = async (scopeId: string) => (await t.api('GET', `/auth-scopes/${scopeId}/oauth/status`)).body;

function dataDirFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? dataDirFiles(full) : [full];
  });
}

beforeAll(async () => {
  [t, mock] = await Promise.all([startTestGateway(), startMockProvider()]);
  const provider = await t.api('POST', '/oauth-providers', {
    name: 'mock',
    auth_url: `${mock.issuer}/authorize`,
    token_url: `${mock.issuer}/token`,
    revocation_url: mock.revocationUrl,
    client_id: 'mcplexer-test',
    client_secret: 'mock-client-secret',
    scopes: ['read', 'write'],
  });
  providerId = provider.body.id;
  remote = await startProtectedMcp({
    issuer: mock.issuer,
    authorization_endpoint: `${mock.issuer}/authorize`,
    token_endpoint: `${mock.issuer}/token`,
    response_types_supported: ['code'],
  });
  client = await connectHttp(t);
});
afterAll(async () => {
  await client?.close();
  await t?.close();
  await mock?.stop();
  await remote?.stop();
});

describe('code + PKCE flow, token used by a stdio child', () => {
  let scopeId: string;
  it('builds the authorize URL: code, client, callback, 128-bit state, scopes, S256', async () => {
    scopeId = await newScope('env-scope');
    const url = new URL(await authorize(scopeId));
    expect(url.origin + url.pathname).toBe(`${mock.issuer}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'mcplexer-test',
      redirect_uri: `${t.url}/api/v1/oauth/callback`,
      scope: 'read write',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const redirect = await fetch(`${t.url}/api/v1/auth-scopes/${scopeId}/oauth/authorize?redirect=true`, {
      headers: { authorization: `Bearer ${t.token}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(new RegExp(`^${mock.issuer}/authorize\\?`));
  });

  it('the callback (cross-site, no API token) exchanges the code and stores the token encrypted', async () => {
    const page = await follow(await authorize(scopeId));
    expect(page.status).toBe(200);
    // Not framed (a consent step clickjacked), no Referer with the code in it, never cached.
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('Account connected');
    expect(page.html).toContain('env-scope');
    const exchange = mock.tokenRequests.at(-1)!;
    expect(exchange).toMatchObject({ grant_type: 'authorization_code', redirect_uri: `${t.url}/api/v1/oauth/callback` });
    expect(exchange.code_verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(await status(scopeId)).toMatchObject({ status: 'valid', scopes: ['read', 'write'] });
    const token = mock.issued.at(-1)!;
    for (const file of dataDirFiles(t.home)) expect(readFileSync(file).includes(token), file).toBe(false);
    expect(JSON.stringify((await t.api('GET', `/auth-scopes/${scopeId}`)).body)).not.toContain('enc:v1:');
  });

  it('a stdio child gets <token_env_var>=<token>; the audit trail redacts the token', async () => {
    const server = await t.api('POST', '/downstreams', { name: 'Env', namespace: 'envsrv', command: process.execPath, args: [ENV_SERVER] });
    await t.api('POST', '/routes', { workspace_id: 'global', server_id: server.body.id, auth_scope_id: scopeId });
    const token = mock.issued.at(-1)!;
    expect(text(await client.callTool({ name: 'envsrv__token_hash', arguments: {} }))).toBe(sha256(token));
    await client.callTool({ name: 'envsrv__echo', arguments: { text: token } });
    // Audit writes are batched off the hot path: wait for the record, then look for the token in it.
    const audit = await vi.waitFor(
      async () => {
        const res = await t.api('GET', '/audit?tool_name=envsrv__echo');
        expect(res.body.data.length).toBeGreaterThan(0);
        return res;
      },
      { timeout: 5000, interval: 100 },
    );
    expect(JSON.stringify(audit.body)).not.toContain(token);
  });

  it('refreshes an expiring token (scope kept), and the stdio child is restarted with the new one', async () => {
    mock.nextTokenAnswer = (answer) => void (answer.body.expires_in = 2);
    await follow(await authorize(scopeId));
    const first = mock.issued.at(-1)!;
    expect(text(await client.callTool({ name: 'envsrv__token_hash', arguments: {} }))).toBe(sha256(first));
    mock.nextTokenAnswer = (answer) => void delete answer.body.refresh_token;
    await waitFor(() => mock.tokenRequests.at(-1)?.grant_type === 'refresh_token', 5000);
    const refresh = mock.tokenRequests.at(-1)!;
    expect(refresh).toMatchObject({ grant_type: 'refresh_token', scope: 'read write' });
    await waitFor(() => mock.issued.at(-1) !== first, 5000);
    const second = mock.issued.at(-1)!;
    await vi.waitFor(async () => expect(text(await client.callTool({ name: 'envsrv__token_hash', arguments: {} }))).toBe(sha256(second)), {
      timeout: 8000,
      interval: 200,
    });
    expect(await status(scopeId)).toMatchObject({ status: 'valid', scopes: ['read', 'write'] });
  });
});

describe('an HTTP downstream reads the header; a 401 gets one refresh', () => {
  it('sends Authorization: Bearer per request, refreshes once on 401, and fails on a second 401', async () => {
    const scopeId = await newScope('http-scope');
    const server = await t.api('POST', '/downstreams', { name: 'Remote', namespace: 'remote', url: remote.url });
    await t.api('POST', '/routes', { workspace_id: 'global', server_id: server.body.id, auth_scope_id: scopeId, priority: 200 });
    const rejected = new Set<string>();
    remote.accepts = (token) => mock.issued.includes(token) && !rejected.has(token);
    await follow(await authorize(scopeId));
    const first = mock.issued.at(-1)!;
    expect(text(await client.callTool({ name: 'remote__token_hash', arguments: {} }))).toBe(sha256(first));

    // The server stops accepting the token: one 401, one refresh, the call goes through with the new token.
    rejected.add(first);
    const refreshesBefore = mock.tokenRequests.filter((r) => r.grant_type === 'refresh_token').length;
    expect(text(await client.callTool({ name: 'remote__token_hash', arguments: {} }))).toBe(sha256(mock.issued.at(-1)!));
    expect(mock.issued.at(-1)).not.toBe(first);
    expect(mock.tokenRequests.filter((r) => r.grant_type === 'refresh_token').length).toBe(refreshesBefore + 1);
    remote.accepts = () => false;
    const refused = await client
      .callTool({ name: 'remote__token_hash', arguments: {} })
      .catch((error: Error) => ({ isError: true, content: [{ type: 'text', text: error.message }] }));
    expect(refused.isError).toBe(true);
    expect(mock.tokenRequests.filter((r) => r.grant_type === 'refresh_token').length).toBe(refreshesBefore + 2);
  });
});

describe('a provider whose errors echo what it was sent', () => {
  /** The provider's next token answer: an error quoting the request's secrets (a trial's provider did). */
  const echoNext = () =>
    (mock.nextTokenAnswer = (answer) => {
      const sent = mock.tokenRequests.at(-1)!;
      answer.statusCode = 400;
      answer.body = { error: 'invalid_grant', error_description: `rejected ${sent.code ?? ''} ${sent.code_verifier ?? ''} ${sent.refresh_token ?? ''}`.trim() };
    });
  const leaks = (secrets: string[]) => {
    const logs = JSON.stringify(t.logs);
    const config = t.configText();
    return secrets.filter((secret) => logs.includes(secret) || config.includes(secret));
  };

  it('the code and the PKCE verifier are masked on the page, in status, config.json and the log', async () => {
    const scopeId = await newScope('echo-exchange');
    echoNext();
    const page = await follow(await authorize(scopeId));
    const sent = mock.tokenRequests.at(-1)!;
    const secrets = [sent.code!, sent.code_verifier!];
    expect(page.html).toContain('token exchange failed: invalid_grant: rejected [REDACTED] [REDACTED]');
    const shown = await status(scopeId);
    expect(shown.error).toContain('rejected [REDACTED] [REDACTED]');
    expect(secrets.filter((secret) => page.html.includes(secret) || JSON.stringify(shown).includes(secret))).toEqual([]);
    expect(leaks(secrets)).toEqual([]);
  });

  it('the refresh token is masked in the error the agent gets, in status, config.json and the log', async () => {
    const scopeId = await newScope('echo-refresh');
    const server = await t.api('POST', '/downstreams', { name: 'Echoing', namespace: 'echoing', url: remote.url });
    await t.api('POST', '/routes', { workspace_id: 'global', server_id: server.body.id, auth_scope_id: scopeId, priority: 300 });
    remote.accepts = (token) => mock.issued.includes(token);
    await follow(await authorize(scopeId));
    expect(text(await client.callTool({ name: 'echoing__token_hash', arguments: {} }))).toBe(sha256(mock.issued.at(-1)!));
    remote.accepts = () => false;
    echoNext();
    const refused = await client.callTool({ name: 'echoing__token_hash', arguments: {} }).catch((error: Error) => ({ error: error.message }));
    const sent = mock.tokenRequests.at(-1)!;
    try {
      expect(sent.grant_type).toBe('refresh_token');
      expect(JSON.stringify(refused)).not.toContain(sent.refresh_token!);
      const shown = await status(scopeId);
      expect(shown.error).toBe('refresh failed: invalid_grant: rejected   [REDACTED]');
      expect(leaks([sent.refresh_token!])).toEqual([]);
    } finally {
      // No background refresh of this scope may take a later test's one-shot provider answer.
      await t.api('DELETE', `/downstreams/${server.body.id}?cascade=true`);
      await t.api('DELETE', `/auth-scopes/${scopeId}?cascade=true`);
    }
  });
});

describe('revoke', () => {
  it('revokes at the provider (RFC 7009) and forgets the tokens', async () => {
    const scopeId = await newScope('revoke-scope');
    await follow(await authorize(scopeId));
    const res = await t.api('POST', `/auth-scopes/${scopeId}/oauth/revoke`);
    expect(res.status).toBe(204);
    expect(mock.revocations.map((r) => r.token_type_hint)).toEqual(['refresh_token', 'access_token']);
    expect(mock.revocations.at(-1)!.token).toBe(mock.issued.at(-1));
    expect(mock.revocations.at(-1)!.authorization).toMatch(/^Basic /);
    expect(await status(scopeId)).toMatchObject({ status: 'not_configured' });
  });
});

describe('bad input ends on a clear page and status, with nothing half-stored', () => {
  it.each([
    ['a tampered state', (u: URL) => u.searchParams.set('state', 'f'.repeat(32)), /unknown or was already used/],
    ['no state', (u: URL) => u.searchParams.delete('state'), /no state parameter/],
  ])('%s', async (_label, tamper, message) => {
    const scopeId = await newScope(`tamper-${Math.random().toString(36).slice(2, 8)}`);
    const page = await follow(await authorize(scopeId), tamper);
    expect(page.status).toBe(400);
    expect(page.html).toMatch(message);
    expect(await status(scopeId)).toMatchObject({ status: 'not_configured' });
  });

  it('a replayed callback is refused (single use), and the first token stays', async () => {
    const scopeId = await newScope('replay');
    const page = await follow(await authorize(scopeId));
    const replay = await fetch(page.callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/already used/);
    expect(await status(scopeId)).toMatchObject({ status: 'valid' });
  });

  it('an expired state (over 10 minutes) is refused', async () => {
    const scopeId = await newScope('expired-state');
    const url = await authorize(scopeId);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 11 * 60_000);
      const page = await follow(url);
      expect(page.html).toMatch(/expired/);
    } finally {
      vi.useRealTimers();
    }
    expect(await status(scopeId)).toMatchObject({ status: 'not_configured' });
  });

  it('a wrong code, a garbage token answer, and a provider that is down: the error shows on the page and in status', async () => {
    const scopeId = await newScope('bad-exchange');
    let page = await follow(await authorize(scopeId), (u) => u.searchParams.set('code', 'not-a-code'));
    // The mock refuses a code it never issued for this PKCE challenge in its own words (invalid_request).
    expect(page.html).toMatch(/token exchange failed: invalid_request: code_challenge required/);
    expect(await status(scopeId)).toMatchObject({ status: 'not_configured', error: expect.stringMatching(/invalid_request/) });

    mock.nextTokenAnswer = (answer) => void (answer.body = { hello: 'world' });
    page = await follow(await authorize(scopeId));
    expect(page.html).toMatch(/not a token response/);
    expect(await status(scopeId)).toMatchObject({ status: 'not_configured' });

    await t.api('PUT', `/oauth-providers/${providerId}`, { token_url: `http://127.0.0.1:${await freePort()}/token` });
    try {
      page = await follow(await authorize(scopeId));
      expect(page.status).toBe(400);
      expect(page.html).toMatch(/connection refused/);
      expect(await status(scopeId)).toMatchObject({ status: 'not_configured', error: expect.stringMatching(/connection refused/) });
    } finally {
      await t.api('PUT', `/oauth-providers/${providerId}`, { token_url: `${mock.issuer}/token` });
    }
  });

  it('reflected provider errors are escaped', async () => {
    const scopeId = await newScope('escape');
    const page = await follow(await authorize(scopeId), (u) => {
      u.searchParams.delete('code');
      u.searchParams.set('error', '<script>alert(1)</script>');
    });
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain('&#60;script&#62;');
  });
});

describe('remote MCP servers without dynamic registration', () => {
  it('capabilities say so, oauth-setup answers 502 "configure manually", a stdio server gets 400, status lists route scopes', async () => {
    const server = await t.api('POST', '/downstreams', { name: 'NoDcr', namespace: 'nodcr', url: remote.url });
    const caps = await t.api('GET', `/downstreams/${server.body.id}/oauth-capabilities`);
    expect(caps.body).toEqual({ has_template: false, supports_auto_discovery: false, needs_credentials: true });
    const setup = await t.api('POST', `/downstreams/${server.body.id}/oauth-setup`, {});
    expect(setup.status).toBe(502);
    expect(setup.body.error.message).toMatch(/configure the OAuth provider manually/);
    const stdio = await t.api('POST', '/downstreams', { name: 'Local', namespace: 'local', command: process.execPath, args: [ENV_SERVER] });
    const refused = await t.api('POST', `/downstreams/${stdio.body.id}/oauth-setup`, {});
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('transport');

    const envServer = (await t.api('GET', '/downstreams/envsrv')).body;
    const status = await t.api('GET', `/downstreams/${envServer.id}/oauth-status`);
    expect(status.body.entries).toEqual([expect.objectContaining({ auth_scope_name: 'env-scope', status: 'authenticated', workspace_id: 'global' })]);
  });

  it('connect with a template that needs credentials and none given is a 400 naming client_id', async () => {
    const server = await t.api('POST', '/downstreams', { name: 'GitHub', namespace: 'github', command: process.execPath, args: [ENV_SERVER] });
    const res = await t.api('POST', `/downstreams/${server.body.id}/connect`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('client_id');
    const ok = await t.api('POST', `/downstreams/${server.body.id}/connect`, {
      client_id: 'gh-app',
      client_secret: 'gh-secret',
      account_label: 'Work Account!',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.auth_scope.name).toBe('github-work-account');
    expect(ok.body.route_rule).toMatchObject({
      workspace_id: 'global',
      tool_pattern: '*',
      path_glob: '**',
      policy: 'allow',
      priority: 100,
      auth_scope_id: ok.body.auth_scope.id,
    });
    expect(ok.body.authorize_url).toMatch(/^https:\/\/github\.com\/login\/oauth\/authorize\?/);
    const again = await t.api('POST', `/downstreams/${server.body.id}/connect`, { account_label: 'Work Account!' });
    expect(again.body.route_rule.id).toBe(ok.body.route_rule.id);
  });
});
