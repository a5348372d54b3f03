/**
 * "MCPlexer: Connect Account…", the Servers view's Connect Account and the warning after a failed
 * refresh, with the fake vscode against a real gateway, oidc-provider (dynamic registration) and
 * a remote MCP server protected per the MCP authorization spec. `openExternal` is the browser:
 * it signs in at the provider over HTTP and lands on the gateway's callback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as vscode from 'vscode';
import { connectAccount, connectTargetOf } from '../../../src/extension/connect-account.js';
import { OAuthErrorWatch } from '../../../src/extension/oauth-watch.js';
import { serversHandlers } from '../../../src/shared/webviews/host/servers-handlers.js';
import type { GatewayEvent } from '../../../src/shared/schemas/daemon.js';
import { fake, resetFake } from '../../fakes/vscode.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { consentOverHttp, startIntrospectedMcp, startOidcProvider, type IntrospectedMcp, type OidcServer } from '../../fixtures/oidc-servers.js';

let t: TestGateway;
let oidc: OidcServer;
let remote: IntrospectedMcp;
let serverId: string;
const log = { info: () => undefined, warn: () => undefined };
const ready = () => ({ state: 'ready' as const, client: t.client });

/** The browser: signs in at the provider and opens the gateway's callback it lands on (`tamper` may change it). */
const browser =
  (tamper: (callback: URL) => void = () => {}) =>
  async (url: string) => {
    const callback = new URL(await consentOverHttp(url, `${t.url}/api/v1/oauth/callback`));
    tamper(callback);
    await (await fetch(callback)).text();
    return true;
  };

beforeAll(async () => {
  [t, oidc] = await Promise.all([startTestGateway(), startOidcProvider()]);
  remote = await startIntrospectedMcp(oidc);
  serverId = (await t.api('POST', '/downstreams', { name: 'Remote Notes', namespace: 'notes', url: remote.url })).body.id;
});
afterAll(async () => {
  await t?.close();
  await remote?.stop();
  await oidc?.stop();
});
beforeEach(() => resetFake());

describe('Connect Account', () => {
  it('picks the remote server waiting for an account, opens the authorize URL, and says when the gateway holds the token', async () => {
    let offered: Array<{ label: string; description?: string }> = [];
    fake.answers.quickPick = (items) => ((offered = items as typeof offered), offered.find((i) => i.label.includes('Remote Notes')));
    fake.answers.openExternal = browser();
    expect(await connectAccount({ connection: ready(), log, pollMs: 50 })).toBe('connected');
    expect(offered.map((i) => i.description)).toEqual(['remote server: sign in (OAuth discovery)']);
    expect(fake.opened).toHaveLength(1);
    const opened = new URL(fake.opened[0]!);
    expect(opened.origin).toBe(oidc.issuer);
    expect(opened.searchParams.get('resource')).toBe(remote.url);
    expect(fake.messages).toEqual([{ level: 'info', text: expect.stringContaining('"notes" is connected') }]);
    const scope = (await t.client.listAuthScopes()).find((s) => s.name === 'notes')!;
    expect((await t.client.oauthStatus(scope.id)).status).toBe('valid');
  });

  it('with a server id (the Servers view) on a connected server: "already connected", nothing opened', async () => {
    expect(await connectAccount({ connection: ready(), log }, connectTargetOf(serverId))).toBe('already');
    expect(fake.opened).toEqual([]);
    expect(fake.messages.at(-1)!.text).toMatch(/already connected/);
  });

  it('the pick says so when nothing waits for an account', async () => {
    expect(await connectAccount({ connection: ready(), log })).toBe('nothing');
    expect(fake.messages.at(-1)!.text).toMatch(/every OAuth account is connected/);
  });

  it('with nothing that signs in with OAuth, it says what to add instead of "every account is connected" (a new user trial)', async () => {
    const empty = await startTestGateway();
    try {
      expect(await connectAccount({ connection: { state: 'ready', client: empty.client }, log })).toBe('nothing');
      expect(fake.messages.at(-1)!.text).toMatch(/nothing signs in with OAuth yet: add a remote \(HTTP\) MCP server, or an auth scope of type oauth2/);
    } finally {
      await empty.close();
    }
  });

  it('a refusal at the provider ends the progress with its reason (a scope, and a server with a scope not connected)', async () => {
    const scope = (await t.client.createAuthScope({ name: 'notes-second', type: 'oauth2', server_id: serverId } as never)) as { id: string };
    fake.answers.openExternal = browser((u) => {
      u.searchParams.delete('code');
      u.searchParams.set('error', 'access_denied');
    });
    expect(await connectAccount({ connection: ready(), log, pollMs: 50 }, { auth_scope_id: scope.id })).toBe('failed');
    expect(fake.messages.at(-1)).toEqual({ level: 'error', text: expect.stringMatching(/connecting "notes-second" failed: .*access_denied/) });

    // The same refusal again: its error is the one the scope already had, so the wait needs the new one.
    const other = (await t.api('POST', '/downstreams', { name: 'Other', namespace: 'other', url: remote.url })).body.id;
    await t.api('POST', '/routes', { workspace_id: 'global', server_id: other, auth_scope_id: scope.id });
    fake.answers.openExternal = browser((u) => {
      u.searchParams.delete('code');
      u.searchParams.set('error', 'temporarily_unavailable');
    });
    expect(await connectAccount({ connection: ready(), log, pollMs: 50 }, { server_id: other })).toBe('failed');
    expect(fake.messages.at(-1)!.text).toMatch(/temporarily_unavailable/);
    await t.api('DELETE', `/downstreams/${other}?cascade=true`);
    await t.api('DELETE', `/auth-scopes/${scope.id}?cascade=true`);
  });

  it('no gateway, or a browser that does not open: the user is told, nothing waits', async () => {
    expect(await connectAccount({ connection: { state: 'attaching', client: undefined }, log })).toBe('failed');
    expect(fake.messages.at(-1)!.text).toMatch(/Restart Gateway/);
    const scope = (await t.client.createAuthScope({ name: 'unopened', type: 'oauth2', server_id: serverId } as never)) as { id: string };
    expect(await connectAccount({ connection: ready(), log, open: async () => false }, { auth_scope_id: scope.id })).toBe('failed');
    expect(fake.messages.at(-1)!.text).toMatch(/could not open a browser; open this link .*http:\/\/127\.0\.0\.1:\d+\/auth\?/);
    await t.api('DELETE', `/auth-scopes/${scope.id}`);
  });

  it.each(['file:///etc/passwd', 'vscode://vscode.git/clone?url=x', 'command:workbench.action.terminal.new'])(
    'never opens an authorization URL that is not a web address (%s), whatever the gateway answered',
    async (url) => {
      const scope = (await t.client.createAuthScope({ name: `odd-${url.length}`, type: 'oauth2', server_id: serverId } as never)) as { id: string };
      // The gateway refuses such metadata itself; this is the second layer, so its answer is stood in for.
      const client = Object.assign(Object.create(t.client) as typeof t.client, { oauthAuthorize: async () => ({ authorize_url: url }) });
      const opened: string[] = [];
      const result = await connectAccount(
        { connection: { state: 'ready', client }, log, open: async (u) => (opened.push(u), true) },
        { auth_scope_id: scope.id },
      );
      expect(result).toBe('failed');
      expect(opened).toEqual([]);
      expect(fake.messages.at(-1)!.text).toContain('is not a web address, so it was not opened');
      await t.api('DELETE', `/auth-scopes/${scope.id}`);
    },
  );
});

describe('the Servers view: servers/connect', () => {
  const source = () => ({ client: () => t.client, folders: () => [] });
  it('in VS Code the host runs Connect Account for the server; elsewhere it answers the URL to open', async () => {
    const started: string[] = [];
    const inVsCode = serversHandlers(source(), { connectAccount: (id) => void started.push(id) });
    expect(await inVsCode['servers/connect']({ id: serverId })).toEqual({ started: true, authorize_url: null, auth_scope_name: null });
    expect(started).toEqual([serverId]);
    const browserPage = serversHandlers(source());
    expect(await browserPage['servers/connect']({ id: serverId })).toEqual({ started: false, authorize_url: null, auth_scope_name: 'notes' });
  });
});

describe('a failed refresh', () => {
  it('is shown once with Connect Account, which connects the account again', async () => {
    const events = new vscode.EventEmitter<GatewayEvent>();
    const states = new vscode.EventEmitter<'ready'>();
    const connection = { ...ready(), onEvent: events.event, onDidChangeState: states.event };
    const watch = new OAuthErrorWatch({ connection, log, pollMs: 50 });
    await watch.check();
    expect(fake.messages).toEqual([]);

    // The provider forgets the grant (revoking the access token revokes it): the 401 gets a refresh, which fails.
    const token = oidc.issued.at(-1)!;
    const clientId = (await t.client.listAuthScopes()).length && oidc.registrations[0]!.client_id;
    await fetch(oidc.metadata.revocation_endpoint!, { method: 'POST', body: new URLSearchParams({ token, client_id: String(clientId) }) });
    const discover = await t.api('POST', `/downstreams/${serverId}/discover`);
    expect(discover.status).toBeGreaterThanOrEqual(400);
    const scope = (await t.client.listAuthScopes()).find((s) => s.name === 'notes')!;
    expect(scope.oauth_error).toMatch(/refresh failed: invalid_grant/);

    fake.answers.message = 'Connect Account';
    fake.answers.openExternal = browser();
    events.fire({ id: 1, type: 'config.changed', data: { kinds: ['auth_scopes'] } });
    await watch.check();
    expect(fake.messages[0]).toEqual({
      level: 'warning',
      text: expect.stringMatching(/auth scope "notes" needs connecting again: refresh failed: invalid_grant/),
    });
    await vi.waitFor(() => expect(fake.messages.at(-1)!.text).toMatch(/"notes" is connected/), { timeout: 10_000, interval: 50 });
    expect((await t.client.oauthStatus(scope.id)).status).toBe('valid');
    // Shown once: another check with the error gone says nothing more.
    await watch.check();
    expect(fake.messages.filter((m) => m.level === 'warning')).toHaveLength(1);
    watch.dispose();
  });
});
