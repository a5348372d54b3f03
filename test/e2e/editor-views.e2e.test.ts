import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EVERYTHING } from '../fixtures/downstream-servers';
import { openWebviewView, openWorkbench, runCommand, screenshot, startCodeServer, waitFor, waitForActivation, webviewFrame } from './harness';
import type { CodeServer, Workbench } from './harness';
import { daemonOf, EXTENSION_ID, packageMcplexer, type Daemon } from './harness/mcplexer';

/**
 * A new user in real VS Code (code-server 4.103.2, the .vsix installed), two tabs on one folder:
 * every view of the MCPlexer container opens through its command and says the gateway is there
 * (none is left saying "Connecting to the gateway…"), also after it was folded and unfolded (VS
 * Code then builds a new webview) and after the user went to another container and back; a call
 * that waits for approval is counted in both tabs' status bars and listed in both Approvals views,
 * and approving it in the second tab's view clears the first tab's view and both counts.
 */
const VIEWS = [
  { title: 'Servers', command: 'MCPlexer: Open Servers' },
  { title: 'Routes', command: 'MCPlexer: Open Servers' },
  { title: 'Dashboard', command: 'MCPlexer: Open Dashboard' },
  { title: 'Audit', command: 'MCPlexer: Show Audit Log' },
  { title: 'Approvals', command: 'MCPlexer: Show Pending Approvals' },
];

describe('the MCPlexer views as a new user finds them', () => {
  let server: CodeServer;
  let daemon: Daemon;
  let first: Workbench | undefined;
  let second: Workbench | undefined;
  let project: string;
  let client: Client | undefined;

  const ok = async (method: string, route: string, body?: unknown) => {
    const answer = await daemon.api(method, route, body);
    if (answer.status >= 400) throw new Error(`${method} ${route} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const statusOf = (frame: Frame) => frame.locator('.connection').first().innerText();
  const statusBar = (page: Page) => page.locator('#workbench\\.parts\\.statusbar').innerText();
  const paneHeader = (page: Page, title: string) =>
    page.locator('#workbench\\.parts\\.sidebar .pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) });
  /** Opens a view through its command and waits until it says the gateway is there. */
  const openView = async (page: Page, view: (typeof VIEWS)[number]): Promise<Frame> => {
    const frame = await openWebviewView(
      page,
      async () => {
        await runCommand(page, view.command);
        if ((await paneHeader(page, view.title).getAttribute('aria-expanded')) === 'false') await paneHeader(page, view.title).click();
      },
      view.title,
    );
    await expect
      .poll(() => statusOf(frame), { timeout: 20_000, message: `the ${view.title} view's status` })
      .not.toMatch(/Connecting to the gateway|not reachable|^$/);
    return frame;
  };

  beforeAll(async () => {
    const vsix = await packageMcplexer();
    server = await startCodeServer({ extensions: [vsix], folders: ['project'], settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    project = server.folders[0]!;
    daemon = daemonOf(server);
    first = await openWorkbench(server, project);
    await waitForActivation(server, EXTENSION_ID);
    await daemon.healthy();
    await ok('POST', '/downstreams', { id: 'everything', name: 'Everything', namespace: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] });
    await ok('POST', '/downstreams/everything/discover');
    await ok('POST', '/routes', { id: 'gate-sum', workspace_id: 'global', tool_pattern: 'everything__get-sum', policy: 'approve' });
  });

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await second?.close();
    await first?.close();
    await server?.stop();
  });

  it('every view opens through its command and says the gateway is there', async () => {
    const page = first!.page;
    for (const view of VIEWS) {
      const frame = await openView(page, view);
      await expect.poll(() => frame.locator('[role=alert]:visible').allInnerTexts(), { timeout: 10_000, message: `${view.title} shows no error` }).toEqual([]);
    }
    await screenshot(page, 'vscode-views-new-user');
  });

  it('a folded and unfolded view, and the container left and come back to, say the gateway is there again', async () => {
    const page = first!.page;
    for (const title of ['Routes', 'Approvals']) {
      const header = paneHeader(page, title);
      const foldAndUnfold = async () => {
        if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
        await expect.poll(() => header.getAttribute('aria-expanded')).toBe('false');
        await header.click();
      };
      const frame = await openWebviewView(page, foldAndUnfold, title);
      await expect
        .poll(() => statusOf(frame), { timeout: 20_000, message: `${title} after unfolding` })
        .not.toMatch(/Connecting to the gateway|not reachable|^$/);
    }
    const leaveAndComeBack = async () => {
      await runCommand(page, 'View: Show Explorer');
      await runCommand(page, 'MCPlexer: Open Servers');
    };
    for (const [i, title] of ['Servers', 'Routes'].entries()) {
      const frame = i === 0 ? await openWebviewView(page, leaveAndComeBack, title) : await webviewFrame(page, title);
      await expect
        .poll(() => statusOf(frame), { timeout: 20_000, message: `${title} after coming back` })
        .not.toMatch(/Connecting to the gateway|not reachable|^$/);
    }
  });

  it('a pending call is counted in both tabs; approving it in the second tab’s view clears the first tab’s view and both counts', async () => {
    second = await openWorkbench(server, project, first!.browser);
    const approvals = VIEWS.find((v) => v.title === 'Approvals')!;
    const one = await openView(first!.page, approvals);
    const two = await openView(second.page, approvals);
    client = new Client({ name: 'e2e-new-user-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${daemon.lock()!.port}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${daemon.token()}`, 'x-mcplexer-workspace': project } },
      }),
    );
    const call = client.callTool({ name: 'everything__get-sum', arguments: { a: 40, b: 2 } }, undefined, { timeout: 90_000 });
    const pending = await waitFor(
      'the pending approval',
      async () => ((await ok('GET', '/approvals?status=pending')) as Array<{ id: string }>)[0],
      15_000,
      200,
    );
    for (const page of [first!.page, second.page]) await expect.poll(() => statusBar(page), { timeout: 15_000 }).toContain('1 approval');
    const cardOne = one.locator(`section.card[data-approval="${pending.id}"]`);
    const cardTwo = two.locator(`section.card[data-approval="${pending.id}"]`);
    await cardOne.waitFor({ timeout: 15_000 });
    await cardTwo.waitFor({ timeout: 15_000 });
    await cardTwo.locator('vscode-button.approve').click();
    expect(JSON.stringify(await call)).toContain('42');
    await expect.poll(() => cardOne.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => statusOf(one), { timeout: 15_000 }).toBe('0 pending');
    for (const page of [first!.page, second.page]) await expect.poll(() => statusBar(page), { timeout: 15_000 }).not.toContain('approval');
    await one.locator(`.history-row[data-approval="${pending.id}"]`).waitFor({ timeout: 15_000 });
    expect(await ok('GET', `/approvals/${pending.id}`)).toMatchObject({ status: 'approved', approver_type: 'dashboard' });
  });
});
