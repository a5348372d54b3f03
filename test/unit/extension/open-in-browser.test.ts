import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { openDashboardInBrowser } from '../../../src/extension/open-in-browser.js';
import { fake, resetFake } from '../../fakes/vscode.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

/**
 * "Open Dashboard in Browser" against a real gateway: what is opened is a private page in the data
 * dir (never the link: an opener's arguments are readable by every local user) leading on to a link
 * with a one-time code (not the token) that the page can spend once for its session; with no
 * gateway, or a browser that does not open, the user is told what to do instead.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());
beforeEach(() => resetFake());

const log = {
  errors: [] as string[],
  error(m: string) {
    this.errors.push(m);
  },
};
const spend = (code: string) =>
  fetch(`${gw.url}/ui/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: gw.url }, body: JSON.stringify({ code }) });

/** The link a private open page leads on to (its refresh and its anchor agree). */
function linkOf(page: string): string {
  const text = readFileSync(page, 'utf8');
  const refresh = /content="0;url=([^"]+)"/.exec(text)![1]!;
  expect(text).toContain(`href="${refresh}"`);
  return refresh.replaceAll('&#38;', '&');
}

describe('openDashboardInBrowser', () => {
  it('opens a private page leading to http://127.0.0.1:<port>/?code=…, whose code the page can spend once; never the token, never the code in what is opened', async () => {
    const opened: string[] = [];
    const url = await openDashboardInBrowser(
      { state: 'ready', client: gw.client },
      log,
      gw.home,
      async (uri: vscode.Uri) => (opened.push(uri.toString(true)), true),
    );
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^file:\/\/.*\/open\/dashboard-[0-9a-f]{16}\.html$/);
    const page = fileURLToPath(opened[0]!);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    expect(statSync(`${gw.home}/open`).mode & 0o777).toBe(0o700);
    expect(linkOf(page)).toBe(url);
    const parsed = new URL(url!);
    expect(`${parsed.origin}`).toBe(gw.url);
    expect(parsed.pathname).toBe('/');
    expect(url).not.toContain(gw.token);
    const code = parsed.searchParams.get('code')!;
    expect((await spend(code)).status).toBe(200);
    expect((await spend(code)).status).toBe(401);
    expect(fake.messages).toEqual([]);
  });

  it('says the gateway is not running instead of opening anything (attaching, error, no client)', async () => {
    const opened: string[] = [];
    for (const connection of [
      { state: 'attaching' as const, client: undefined },
      { state: 'error' as const, client: gw.client },
    ]) {
      expect(await openDashboardInBrowser(connection as never, log, gw.home, async (uri) => (opened.push(String(uri)), true))).toBeUndefined();
    }
    expect(opened).toEqual([]);
    expect(fake.messages.map((m) => m.level)).toEqual(['error', 'error']);
    expect(fake.messages[0]!.text).toContain('Restart Gateway');
  });

  it.each([
    ['a web window (code-server, vscode.dev)', { uiKind: vscode.UIKind.Web, remoteName: undefined }],
    ['a remote window (SSH, a container)', { uiKind: vscode.UIKind.Desktop, remoteName: 'ssh-remote' }],
  ])('in %s opens nothing and says where the dashboard is (its port proxy gave a blank page)', async (_label, env) => {
    const saved = { uiKind: vscode.env.uiKind, remoteName: vscode.env.remoteName };
    Object.assign(vscode.env, env);
    try {
      const opened: string[] = [];
      expect(
        await openDashboardInBrowser({ state: 'ready', client: gw.client }, log, gw.home, async (uri) => (opened.push(String(uri)), true)),
      ).toBeUndefined();
      expect(opened).toEqual([]);
      expect(fake.messages).toEqual([expect.objectContaining({ level: 'warning', text: expect.stringContaining(`served only at ${gw.url}/`) })]);
      // The stable copy in the data dir: an extension user has no `mcplexer` on the PATH.
      expect(fake.messages[0]!.text).toContain(`run node ${path.join(gw.home, 'bin', 'mcplexer-cli.js')} open --home ${gw.home} in a terminal`);
    } finally {
      Object.assign(vscode.env, saved);
    }
  });

  it('points to the open command of the stable CLI copy when no browser opens, and reports a refusal of the daemon', async () => {
    expect(await openDashboardInBrowser({ state: 'ready', client: gw.client }, log, gw.home, async () => false)).toBeUndefined();
    expect(fake.messages.at(-1)!.text).toContain(`Run node ${path.join(gw.home, 'bin', 'mcplexer-cli.js')} open --home ${gw.home} in a terminal`);
    const { RestClient } = await import('../../../src/shared/rest-client.js');
    const wrong = new RestClient(gw.url, 'wrong-token-wrong-token');
    expect(await openDashboardInBrowser({ state: 'ready', client: wrong }, log, gw.home, async () => true)).toBeUndefined();
    expect(fake.messages.at(-1)!.text).toContain('API token is wrong');
    expect(log.errors.at(-1)).toContain('Open Dashboard in Browser failed');
  });
});
