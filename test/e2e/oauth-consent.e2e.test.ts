/**
 * The code + PKCE flow for a remote MCP server in real Chromium: the gateway registers itself at
 * oidc-provider (dynamic registration) through `oauth-setup`, Chromium opens the authorize URL,
 * signs in on oidc-provider's login page, accepts its consent page, and lands on the gateway's
 * callback page, which says the account is connected. The token (issued for the server: RFC 8707
 * audience, checked by the server through introspection) then reaches the server's tools through
 * the gateway. A second sign-in for another account of the same server skips nothing it should
 * not: login and consent again for a new user. Screenshots: .e2e/artifacts/oauth-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectHttp, text } from '../helpers/mcp.js';
import { sha256 } from '../fixtures/oauth-servers.js';
import { MCP_SCOPE, startIntrospectedMcp, startOidcProvider, type IntrospectedMcp, type OidcServer } from '../fixtures/oidc-servers.js';
import { launchChromium, screenshot } from './harness';

let t: TestGateway;
let oidc: OidcServer;
let remote: IntrospectedMcp;
let browser: Browser;
let client: Client;
let serverId: string;

beforeAll(async () => {
  [t, oidc, browser] = await Promise.all([startTestGateway(), startOidcProvider(), launchChromium()]);
  remote = await startIntrospectedMcp(oidc);
  client = await connectHttp(t);
  serverId = (await t.api('POST', '/downstreams', { name: 'Remote Notes', namespace: 'notes', url: remote.url })).body.id;
});
afterAll(async () => {
  await client?.close();
  await browser?.close();
  await t?.close();
  await remote?.stop();
  await oidc?.stop();
});

/** Signs in as `login` on oidc-provider's pages, accepts the consent, and answers the page where Chromium lands. */
async function signIn(page: Page, authorizeUrl: string, login: string, shots: string): Promise<Page> {
  const errors: string[] = [];
  page.on('pageerror', (e) => void errors.push(String(e)));
  await page.goto(authorizeUrl);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await screenshot(page, `oauth-${shots}-login`);
  await page.locator('button[type="submit"]').click();
  await page.locator('button', { hasText: 'Continue' }).waitFor();
  expect(await page.locator('body').innerText()).toContain(MCP_SCOPE);
  await screenshot(page, `oauth-${shots}-consent`);
  await page.locator('button', { hasText: 'Continue' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${t.url}/api/v1/oauth/callback?`));
  await page.locator('#result').waitFor();
  await screenshot(page, `oauth-${shots}-callback`);
  expect(errors).toEqual([]);
  return page;
}

describe('oidc-provider login and consent in Chromium', () => {
  it('oauth-setup, sign in, consent: the callback page says connected, and the tools are called with the token', async () => {
    const setup = await t.api('POST', `/downstreams/${serverId}/oauth-setup`, {});
    expect(setup.status).toBe(200);
    const url = new URL(setup.body.authorize_url);
    expect(url.searchParams.get('resource')).toBe(remote.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');

    const page = await signIn(await browser.newPage(), url.href, 'alice', 'alice');
    expect(await page.locator('#result').getAttribute('data-ok')).toBe('true');
    expect(await page.locator('body').innerText()).toMatch(/Account connected[\s\S]*notes_oauth[\s\S]*close this browser tab/);
    const callback = new URL(page.url());
    expect(callback.searchParams.get('iss')).toBe(oidc.issuer);
    await page.close();

    expect(oidc.tokenRequests.at(-1)).toMatchObject({ grant_type: 'authorization_code', resource: remote.url });
    const status = await t.api('GET', `/auth-scopes/${setup.body.auth_scope.id}/oauth/status`);
    expect(status.body).toMatchObject({ status: 'valid', scopes: [MCP_SCOPE] });
    expect(text(await client.callTool({ name: 'notes__whoami', arguments: {} }))).toBe(`alice ${sha256(oidc.issued.at(-1)!)}`);
  });

  it('a second account of the same server: its own login and consent, its own token', async () => {
    const connect = await t.api('POST', `/downstreams/${serverId}/connect`, { account_label: 'bob' });
    expect(connect.status).toBe(200);
    // A fresh browser context: no session cookie of alice at the provider.
    const context = await browser.newContext();
    const page = await signIn(await context.newPage(), connect.body.authorize_url, 'bob', 'bob');
    expect(await page.locator('#result').getAttribute('data-ok')).toBe('true');
    await context.close();
    const status = await t.api('GET', `/auth-scopes/${connect.body.auth_scope.id}/oauth/status`);
    expect(status.body.status).toBe('valid');
  });

  it('replaying the callback URL in the browser: a clear page, the account stays connected', async () => {
    const setup = await t.api('GET', `/downstreams/${serverId}/oauth-status`);
    const scope = setup.body.entries.find((e: { auth_scope_name: string }) => e.auth_scope_name === 'notes_oauth');
    const context = await browser.newContext();
    const page = await context.newPage();
    const authorize = await t.api('GET', `/auth-scopes/${scope.auth_scope_id}/oauth/authorize`);
    await signIn(page, authorize.body.authorize_url, 'alice', 'alice-again');
    const callback = page.url();
    await page.goto(callback);
    expect(await page.locator('#result').getAttribute('data-ok')).toBe('false');
    expect(await page.locator('body').innerText()).toMatch(/unknown or was already used/);
    await screenshot(page, 'oauth-replayed-callback');
    await context.close();
    expect((await t.api('GET', `/auth-scopes/${scope.auth_scope_id}/oauth/status`)).body.status).toBe('valid');
  });
});
