import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EVERYTHING } from '../fixtures/downstream-servers';
import { openWebviewView, openWorkbench, runCommand, screenshot, startCodeServer, waitFor, waitForActivation } from './harness';
import type { CodeServer, Workbench } from './harness';
import { daemonOf, EXTENSION_ID, packageMcplexer, type Daemon } from './harness/mcplexer';

/**
 * The Audit view inside real VS Code (code-server 4.103.2, the .vsix installed): `MCPlexer: Show
 * Audit Log` opens it; a call made by an external SDK client over `/mcp` appears in it live (no
 * reload), as the record `GET /api/v1/audit` holds; opening the record shows its detail with the
 * arguments redacted (the secret never reaches the view), the latency, cache hit and server.
 */
const SECRET = 'sk-live-e2eAuditSecret0123456789';

describe('the Audit view in code-server', () => {
  let server: CodeServer;
  let daemon: Daemon;
  let workbench: Workbench | undefined;
  let page: Page;
  let project: string;
  let client: Client | undefined;

  const ok = async (method: string, route: string, body?: unknown) => {
    const answer = await daemon.api(method, route, body);
    if (answer.status >= 400) throw new Error(`${method} ${route} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  beforeAll(async () => {
    const vsix = await packageMcplexer();
    server = await startCodeServer({ extensions: [vsix], folders: ['project'], settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    project = server.folders[0]!;
    daemon = daemonOf(server);
    workbench = await openWorkbench(server, project);
    page = workbench.page;
    await waitForActivation(server, EXTENSION_ID);
    await daemon.healthy();
    await ok('POST', '/downstreams', { id: 'everything', name: 'Everything', namespace: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] });
    await ok('POST', '/downstreams/everything/discover');
  });

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await workbench?.close();
    await server?.stop();
  });

  const auditFrame = (): Promise<Frame> => openWebviewView(page, 'MCPlexer: Show Audit Log', 'Audit');

  it('a call from an external SDK client appears live; its detail shows the redacted arguments', async () => {
    const frame = await auditFrame();
    // The view is live before the call is made.
    await expect.poll(() => frame.locator('.toolbar .connection').innerText(), { timeout: 20_000 }).toMatch(/^Live/);

    client = new Client({ name: 'e2e-audit-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${daemon.lock()!.port}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${daemon.token()}`, 'x-mcplexer-workspace': project } },
      }),
    );
    await client.callTool({ name: 'everything__echo', arguments: { message: 'seen in the Audit view', api_key: SECRET } });

    const newest = await waitFor(
      'the call in GET /audit',
      async () => ((await ok('GET', '/audit?tool_name=everything__echo&limit=1')) as { data: Array<Record<string, any>> }).data[0],
      10_000,
      250,
    );
    expect(newest.client_type).toBe('e2e-audit-client');
    const row = frame.locator(`li.record[data-id="${String(newest.id)}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('.tool').innerText()).toBe('everything__echo');

    await row.locator('.record-line').click();
    const args = row.locator('pre.arguments');
    await args.waitFor({ timeout: 10_000 });
    const shown = JSON.parse(await args.innerText()) as Record<string, unknown>;
    expect(shown).toEqual({ message: 'seen in the Audit view', api_key: '[REDACTED]' });
    expect(await frame.locator('#app').innerText()).not.toContain(SECRET);
    const fact = (key: string) => row.locator(`dd[data-fact="${key}"]`).innerText();
    expect(await fact('server')).toBe('Everything');
    expect(await row.locator('dd[data-fact="server"]').getAttribute('title')).toBe('everything');
    expect(await fact('cache')).toBe('no');
    expect(await fact('latency')).toMatch(/^\d+(\.\d)? (ms|µs)$/);
    expect(await fact('status')).toBe('success');
    expect(await frame.locator('#app').innerText()).not.toContain('undefined');

    // More calls, one failing: they join the list live, newest on top, the open detail kept.
    await client.callTool({ name: 'everything__echo', arguments: { message: 42 } });
    await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } });
    await expect.poll(() => frame.locator('li.record').count(), { timeout: 15_000 }).toBe(3);
    expect(await frame.locator('li.record').first().getAttribute('data-tool')).toBe('everything__get-sum');
    expect(await frame.locator('li.record.status-error .note').innerText()).toContain('tool_error');
    await expect(row.locator('pre.arguments').count()).resolves.toBe(1);

    // Room for the Audit view in the screenshot: the other panes folded, notifications cleared.
    for (const title of ['Servers', 'Routes']) {
      const header = page.locator('#workbench\\.parts\\.sidebar .pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) });
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    await screenshot(page, 'vscode-audit-view');

    // The error-code filter: only the failed call is left.
    await frame.locator('.toolbar vscode-icon[data-icon="filter"]').click();
    await frame.locator('#field-error_code input').fill('tool_error');
    await frame.locator('form.filters vscode-button', { hasText: 'Apply' }).click();
    await expect.poll(() => frame.locator('li.record').count(), { timeout: 15_000 }).toBe(1);
    expect(await frame.locator('li.record').getAttribute('class')).toContain('status-error');
  });
});
