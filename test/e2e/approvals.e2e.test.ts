import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EVERYTHING } from '../fixtures/downstream-servers';
import { notifications, openWebviewView, openWorkbench, screenshot, startCodeServer, waitFor, waitForActivation, waitForNotification } from './harness';
import type { CodeServer, Workbench } from './harness';
import { daemonOf, EXTENSION_ID, packageMcplexer, type Daemon } from './harness/mcplexer';

/**
 * Issue 18's approval notifications inside real VS Code (code-server 4.103.2, the .vsix installed),
 * two browser tabs as two windows on two folders: an external SDK client's tool call that needs
 * approval (`approval_mode: all`) raises the notification in the window owning the call's folder and
 * only counts it in the other; its Approve link lets the call through (the audit keeps the record),
 * its Deny link asks for a reason that reaches the client; a call no window owns is raised in both
 * tabs, the Approvals view lists it, and approving it in one tab clears it in the other.
 */
const TITLE = 'MCPlexer: everything__echo needs your approval';

describe('approval notifications in code-server', () => {
  let server: CodeServer;
  let daemon: Daemon;
  let first: Workbench | undefined;
  let second: Workbench | undefined;
  let project: string;
  let other: string;
  const clients: Client[] = [];

  const ok = async (method: string, route: string, body?: unknown) => {
    const answer = await daemon.api(method, route, body);
    if (answer.status >= 400) throw new Error(`${method} ${route} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const workspaceOf = (folder: string) =>
    waitFor(
      `the workspace of ${folder}`,
      async () => ((await ok('GET', '/workspaces')) as Array<{ id: string; root_path: string }>).find((w) => w.root_path === folder)?.id,
      15_000,
      250,
    );
  const sdkClient = async (folder: string) => {
    const client = new Client({ name: 'e2e-external', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${daemon.lock()!.port}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${daemon.token()}`, 'x-mcplexer-workspace': folder } },
      }),
    );
    clients.push(client);
    return client;
  };
  const pendingOf = (message: string) =>
    waitFor(
      `a pending approval for echo "${message}"`,
      async () =>
        ((await ok('GET', '/approvals')) as Array<{ id: string; arguments: { message?: string }; workspace_id: string }>).find(
          (a) => a.arguments.message === message,
        ),
      15_000,
      200,
    );
  const toast = (page: Page) => page.locator('.notifications-toasts .notification-toast', { hasText: TITLE });
  const statusBar = (page: Page) => page.locator('#workbench\\.parts\\.statusbar').innerText();
  const echo = (client: Client, message: string) =>
    client.callTool({ name: 'everything__echo', arguments: { message } }, undefined, { timeout: 90_000 }) as Promise<{
      isError?: boolean;
      content: Array<{ text?: string }>;
    }>;
  const textOf = (result: { content: Array<{ text?: string }> }) => result.content.map((c) => c.text ?? '').join('\n');

  beforeAll(async () => {
    const vsix = await packageMcplexer();
    server = await startCodeServer({ extensions: [vsix], folders: ['project', 'other'], settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    [project, other] = server.folders as [string, string];
    daemon = daemonOf(server);
    first = await openWorkbench(server, project);
    await waitForActivation(server, EXTENSION_ID);
    await daemon.healthy();
    await workspaceOf(project);
    await ok('POST', '/downstreams', { id: 'everything', name: 'Everything', namespace: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] });
    await ok('POST', '/downstreams/everything/discover');
    // One rule in `global`: every echo waits for approval; the request belongs to the caller's folder.
    await ok('POST', '/routes', { id: 'gate-echo', workspace_id: 'global', tool_pattern: 'everything__echo', policy: 'allow', approval_mode: 'all' });
    second = await openWorkbench(server, other, first.browser);
    await workspaceOf(other);
    await waitFor('both windows registered', async () => (((await ok('GET', '/windows')) as unknown[]).length === 2 ? true : undefined), 30_000, 250);
  });

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await second?.close();
    await first?.close();
    await server?.stop();
  });

  it('the owning window raises it (the other only counts it); Approve lets the call through and the audit has it', async () => {
    const client = await sdkClient(project);
    const call = echo(client, 'approve me');
    const pending = await pendingOf('approve me');
    const shown = await waitForNotification(first!.page, TITLE, 30_000);
    expect(shown).toContain('e2e-external asks to call everything__echo on Everything (workspace project).');
    expect(shown).toContain('Arguments: {"message":"approve me"}.');
    await expect.poll(() => statusBar(first!.page), { timeout: 15_000 }).toContain('1 approval');
    await expect.poll(() => statusBar(second!.page), { timeout: 15_000 }).toContain('1 approval');
    expect(await notifications(second!.page)).not.toContainEqual(expect.stringContaining(TITLE));
    await screenshot(first!.page, 'vscode-approval-notification');

    await toast(first!.page)
      .locator('a', { hasText: /^Approve$/ })
      .click();
    expect(textOf(await call)).toBe('Echo: approve me');
    await expect.poll(() => toast(first!.page).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => statusBar(second!.page), { timeout: 15_000 }).not.toContain('approval');
    const record = await ok('GET', `/approvals/${pending.id}`);
    expect(record).toMatchObject({ status: 'approved', approver_type: 'dashboard', workspace_id: pending.workspace_id });
    const audit = await waitFor(
      'the audit record of the approved call',
      async () =>
        ((await ok('GET', '/audit?tool_name=everything__echo')) as { data: Array<Record<string, unknown>> }).data.find((r) => r.approval_id === pending.id),
      15_000,
      250,
    );
    expect(audit).toMatchObject({ status: 'success', client_type: 'e2e-external' });
  });

  it('Deny asks for a reason, and the client receives it', async () => {
    const client = await sdkClient(project);
    const call = echo(client, 'deny me');
    await pendingOf('deny me');
    await waitForNotification(first!.page, 'deny me', 30_000);
    await toast(first!.page)
      .locator('a', { hasText: /^Deny$/ })
      .click();
    const input = first!.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('not in this repository');
    await first!.page.keyboard.press('Enter');
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Reason: not in this repository');
    await expect.poll(() => toast(first!.page).count(), { timeout: 15_000 }).toBe(0);
  });

  it('a call no window owns is raised in both tabs and listed in the Approvals view; approving it in one clears it in the other', async () => {
    const client = await sdkClient('/tmp/mcplexer-e2e-nowhere');
    const call = echo(client, 'anyone may answer');
    const pending = await pendingOf('anyone may answer');
    expect(pending.workspace_id).toBe('global');
    await waitForNotification(first!.page, 'anyone may answer', 30_000);
    await waitForNotification(second!.page, 'anyone may answer', 30_000);
    // The Approvals view in the first tab lists the same request.
    const frame = await openWebviewView(first!.page, 'MCPlexer: Show Pending Approvals', 'Approvals');
    const card = frame.locator(`section.card[data-approval="${pending.id}"]`);
    await card.waitFor({ timeout: 20_000 });
    expect(await card.innerText()).toContain('everything__echo');
    expect(await card.innerText()).toContain('"message": "anyone may answer"');
    // Room for the view in the picture: the other panes folded.
    for (const title of ['Servers', 'Routes']) {
      const header = first!.page.locator('#workbench\\.parts\\.sidebar .pane-header', {
        has: first!.page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }),
      });
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    await card.waitFor({ timeout: 20_000 });
    await screenshot(first!.page, 'vscode-approvals-view');

    await toast(second!.page)
      .locator('a', { hasText: /^Approve$/ })
      .click();
    expect(textOf(await call)).toBe('Echo: anyone may answer');
    // Cleared everywhere: the first tab's notification and its view's card.
    await expect.poll(() => toast(first!.page).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => toast(second!.page).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(0);
    // …and its history (Approved, the default status) shows who answered.
    const row = frame.locator(`.history-row[data-approval="${pending.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toContain('approved by the dashboard');
    await screenshot(first!.page, 'vscode-approvals-history');
  });
});
