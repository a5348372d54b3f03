/**
 * MCP authorization against a real authorization server with dynamic registration: oidc-provider
 * (registration, resource indicators, revocation, introspection) and a remote MCP server protected
 * with the SDK's `requireBearerAuth` and `mcpAuthMetadataRouter`, verifying tokens by
 * introspection and accepting only those issued for it (RFC 8707 audience). The gateway detects
 * auto-discovery, registers itself, builds an authorize URL with `resource` and PKCE S256; the
 * login and consent pages are driven over HTTP; the token is stored and used; a refresh keeps
 * `resource`; `connect` on a scope with a valid token answers `authorize_url: null`.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectHttp, text } from '../helpers/mcp.js';
import type { z } from 'zod';
import { oauthStatusSchema } from '../../src/shared/schemas/oauth.js';
import { downstreamOAuthStatusSchema, oauthAuthorizeAnswerSchema, oauthConnectAnswerSchema } from '../../src/shared/schemas/responses.js';
import { OAUTH_METHODS } from '../helpers/rest-methods.js';
import { sha256 } from '../fixtures/oauth-servers.js';
import { consentOverHttp, MCP_SCOPE, startIntrospectedMcp, startOidcProvider, type IntrospectedMcp, type OidcServer } from '../fixtures/oidc-servers.js';

const ENV_SERVER = path.resolve(__dirname, '../fixtures/oauth-env-server.mjs');
let t: TestGateway;
let oidc: OidcServer;
let remote: IntrospectedMcp;
let client: Client;
let serverId: string;

async function complete(authorizeUrl: string, login = 'alice'): Promise<string> {
  const callback = await consentOverHttp(authorizeUrl, `${t.url}/api/v1/oauth/callback`, login);
  const page = await fetch(callback, { headers: { 'sec-fetch-site': 'cross-site' } });
  return page.text();
}

beforeAll(async () => {
  [t, oidc] = await Promise.all([startTestGateway(), startOidcProvider()]);
  remote = await startIntrospectedMcp(oidc);
  client = await connectHttp(t);
  serverId = (await t.api('POST', '/downstreams', { name: 'Remote Notes', namespace: 'notes', url: remote.url })).body.id;
});
afterAll(async () => {
  await client?.close();
  await t?.close();
  await remote?.stop();
  await oidc?.stop();
});

describe('a remote MCP server with dynamic registration (oidc-provider)', () => {
  let scopeId: string;
  let authorizeUrl: URL;

  it('oauth-capabilities detects auto-discovery: no template, no credentials needed', async () => {
    const caps = await t.api('GET', `/downstreams/${serverId}/oauth-capabilities`);
    expect(caps.status).toBe(200);
    expect(caps.body).toEqual({ has_template: false, supports_auto_discovery: true, needs_credentials: false });
  });

  it('oauth-setup registers the gateway dynamically and answers an authorize URL with resource and PKCE S256', async () => {
    const setup = await t.api('POST', `/downstreams/${serverId}/oauth-setup`, {});
    expect(setup.status).toBe(200);
    expect(oidc.registrations).toHaveLength(1);
    expect(oidc.registrations[0]).toMatchObject({ redirect_uris: [`${t.url}/api/v1/oauth/callback`], token_endpoint_auth_method: 'none' });
    expect(setup.body.provider).toMatchObject({
      name: 'Remote Notes (auto)',
      client_id: oidc.registrations[0]!.client_id,
      scopes: [MCP_SCOPE],
      use_pkce: true,
    });
    expect(setup.body.auth_scope).toMatchObject({ name: 'notes_oauth', type: 'oauth2' });
    scopeId = setup.body.auth_scope.id;
    authorizeUrl = new URL(setup.body.authorize_url);
    expect(authorizeUrl.origin).toBe(oidc.issuer);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: oidc.registrations[0]!.client_id,
      redirect_uri: `${t.url}/api/v1/oauth/callback`,
      resource: remote.url,
      scope: MCP_SCOPE,
      code_challenge_method: 'S256',
    });
    expect(authorizeUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await t.api('GET', `/auth-scopes/${scopeId}/oauth/status`)).body).toMatchObject({ status: 'not_configured' });
    // The server had no route: calls would have gone out on the default allow with no token.
    const routes = (await t.api('GET', '/routes')).body.filter((r: { server_id?: string }) => r.server_id === serverId);
    expect(routes).toEqual([expect.objectContaining({ workspace_id: 'global', policy: 'allow', auth_scope_id: scopeId })]);
  });

  it('oauth-setup on another server with no route, with an explicit scope name, routes it through that scope too', async () => {
    const other = (await t.api('POST', '/downstreams', { name: 'Other', namespace: 'other', url: remote.url })).body.id;
    const setup = await t.api('POST', `/downstreams/${other}/oauth-setup`, { auth_scope_name: 'other-account' });
    expect(setup.status).toBe(200);
    expect(setup.body.auth_scope.name).toBe('other-account');
    const status = await t.api('GET', `/downstreams/${other}/oauth-status`);
    expect(status.body.entries).toEqual([expect.objectContaining({ auth_scope_name: 'other-account', status: 'not_configured', workspace_id: 'global' })]);
    await t.api('DELETE', `/downstreams/${other}`);
  });

  it('visibility says the server waits for its account (needs_authorization), naming the scope', async () => {
    await t.api('POST', `/downstreams/${serverId}/discover`);
    const entry = (await t.api('GET', '/visibility?dir=/tmp')).body.servers.find((s: { server_id: string }) => s.server_id === serverId);
    expect(entry).toMatchObject({
      reason: 'needs_authorization',
      oauth: { auth_scope_id: scopeId, auth_scope_name: 'notes_oauth', status: 'not_connected' },
      message: expect.stringContaining('Connect Account'),
    });
  });

  it('login and consent at the provider end on the callback, which stores the token for the resource', async () => {
    expect(await complete(authorizeUrl.href)).toContain('Account connected');
    const exchange = oidc.tokenRequests.at(-1)!;
    expect(exchange).toMatchObject({ grant_type: 'authorization_code', resource: remote.url });
    expect((await t.api('GET', `/auth-scopes/${scopeId}/oauth/status`)).body).toMatchObject({ status: 'valid', scopes: [MCP_SCOPE] });
    const status = await t.api('GET', `/downstreams/${serverId}/oauth-status`);
    expect(status.body.entries).toEqual([expect.objectContaining({ auth_scope_id: scopeId, status: 'authenticated' })]);
  });

  it("the server's tools are callable through the gateway with that token", async () => {
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toContain('notes__whoami');
    expect(text(await client.callTool({ name: 'notes__whoami', arguments: {} }))).toBe(`alice ${sha256(oidc.issued.at(-1)!)}`);
    const entry = (await t.api('GET', '/visibility?dir=/tmp')).body.servers.find((s: { server_id: string }) => s.server_id === serverId);
    expect(entry).toMatchObject({ reason: 'visible', tools_visible: 1 });
    expect(entry.oauth).toBeUndefined();
  });

  it('a refresh sends the resource again, and the new token is accepted by the server', async () => {
    const before = oidc.issued.at(-1)!;
    // The server stops taking the token (as after a key rotation): the 401 triggers one refresh.
    remote.rejected.add(before);
    expect(text(await client.callTool({ name: 'notes__whoami', arguments: {} }))).toBe(`alice ${sha256(oidc.issued.at(-1)!)}`);
    expect(oidc.issued.at(-1)).not.toBe(before);
    expect(remote.refused).toContain(before);
    expect(oidc.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', resource: remote.url, scope: MCP_SCOPE });
    expect((await t.api('GET', `/auth-scopes/${scopeId}/oauth/status`)).body).toMatchObject({ status: 'valid', scopes: [MCP_SCOPE] });
  });

  it('a stdio server that could not start without its token is discovered again once the account is connected', async () => {
    const providerId = (await t.api('GET', `/auth-scopes/${scopeId}`)).body.oauth_provider_id;
    const scope = await t.api('POST', '/auth-scopes', { name: 'env-oidc', type: 'oauth2', oauth_provider_id: providerId, token_env_var: 'SERVICE_TOKEN' });
    const server = await t.api('POST', '/downstreams', { name: 'Env', namespace: 'envsrv', command: process.execPath, args: [ENV_SERVER] });
    await t.api('POST', '/routes', { workspace_id: 'global', server_id: server.body.id, auth_scope_id: scope.body.id });
    const refused = await t.api('POST', `/downstreams/${server.body.id}/discover`);
    expect(refused.body.error.message).toMatch(/not connected to its OAuth account yet/);
    const authorize = await t.api('GET', `/auth-scopes/${scope.body.id}/oauth/authorize`);
    expect(await complete(authorize.body.authorize_url)).toContain('Account connected');
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toContain('envsrv__token_hash');
    expect(text(await client.callTool({ name: 'envsrv__token_hash', arguments: {} }))).toBe(sha256(oidc.issued.at(-1)!));
  });

  it('connect on the scope holding a valid token reuses it: authorize_url null, no new registration', async () => {
    const res = await t.api('POST', `/downstreams/${serverId}/connect`, { scope_name: 'notes_oauth' });
    expect(res.status).toBe(200);
    expect(res.body.authorize_url).toBeNull();
    expect(res.body.auth_scope.id).toBe(scopeId);
    expect(res.body.provider.client_id).toBe(oidc.registrations[0]!.client_id);
    // Notes and Other registered once each; connect registered nothing.
    expect(oidc.registrations).toHaveLength(2);
  });

  it('connect with a new account label makes a second scope that needs authorization, on the same registered client; its short-lived token is refreshed in the background for the resource', async () => {
    oidc.accessTokenTtl = 4;
    const res = await t.api('POST', `/downstreams/${serverId}/connect`, { account_label: 'Bob' });
    expect(res.status).toBe(200);
    expect(res.body.auth_scope.name).toBe('notes-bob');
    const url = new URL(res.body.authorize_url);
    expect(url.searchParams.get('resource')).toBe(remote.url);
    expect(url.searchParams.get('client_id')).toBe(oidc.registrations[0]!.client_id);
    expect(await complete(url.href, 'bob')).toContain('Account connected');
    expect((await t.api('GET', `/auth-scopes/${res.body.auth_scope.id}/oauth/status`)).body.status).toBe('refresh_needed');
    const issued = oidc.issued.length;
    oidc.accessTokenTtl = 3600;
    // Refreshed at half its 4-second life, with the resource and scope kept.
    await vi.waitFor(() => expect(oidc.issued.length).toBe(issued + 1), { timeout: 8000, interval: 100 });
    expect(oidc.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', resource: remote.url, scope: MCP_SCOPE });
    // The provider has issued the token; the gateway stores it when the answer reaches it
    // (`refreshing` until then), so the status is waited for too, not read once.
    await vi.waitFor(
      async () =>
        expect((await t.api('GET', `/auth-scopes/${res.body.auth_scope.id}/oauth/status`)).body).toMatchObject({ status: 'valid', scopes: [MCP_SCOPE] }),
      { timeout: 5000, interval: 50 },
    );
  });

  it("the shared RestClient's OAuth methods answer what their schemas say, no field more or less", async () => {
    // parse() strips unknown keys: the answer equals its parse only when the schema knows every field.
    const pinned = <T extends z.ZodType>(schema: T, body: unknown) => expect(schema.parse(body)).toEqual(body);
    const called = new Set<string>();
    const c = new Proxy(t.client, { get: (target, key, receiver) => (called.add(String(key)), Reflect.get(target, key, receiver)) });
    pinned(downstreamOAuthStatusSchema, await c.downstreamOAuthStatus(serverId));
    pinned(oauthStatusSchema, await c.oauthStatus(scopeId));
    pinned(oauthAuthorizeAnswerSchema, await c.oauthAuthorize(scopeId));
    const connect = await c.connectDownstream(serverId, { scope_name: 'notes_oauth' });
    pinned(oauthConnectAnswerSchema, connect);
    expect(connect.authorize_url).toBeNull();
    expect(OAUTH_METHODS.filter((name) => !called.has(name))).toEqual([]);
  });
});
