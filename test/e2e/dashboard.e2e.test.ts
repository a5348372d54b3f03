import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EVERYTHING } from '../fixtures/downstream-servers';
import { openWorkbench, runCommand, screenshot, startCodeServer, waitFor, waitForActivation, waitForNotification, webviewFrame } from './harness';
import type { CodeServer, Workbench } from './harness';
import { commandToPick, daemonOf, EXTENSION_ID, packageMcplexer, pickRow, type Daemon } from './harness/mcplexer';

/**
 * The Dashboard view inside real VS Code (code-server 4.103.2, the .vsix installed): after real
 * calls from an external SDK client, `MCPlexer: Open Dashboard` shows them in its chart (the bars
 * are drawn on the canvas, and the plotted sums are GET /api/v1/dashboard's) and in its
 * leaderboard (each row's counts are the gateway's); more calls show up live without a reload; the
 * range picker asks for another range and shows its figures; `MCPlexer: Flush Caches` says what it
 * flushed. Nothing the view needs is blocked by its CSP.
 */
type Snapshot = {
  range: string;
  stats: { total_requests: number; error_count: number };
  timeseries: Array<{ total: number; errors: number }>;
  tool_leaderboard: Array<{ tool_name: string; call_count: number; error_count: number }>;
};

describe('the Dashboard view in code-server', () => {
  let server: CodeServer;
  let daemon: Daemon;
  let bench: Workbench | undefined;
  let page: Page;
  let project: string;
  let client: Client;

  const ok = async (method: string, route: string, body?: unknown) => {
    const answer = await daemon.api(method, route, body);
    if (answer.status >= 400) throw new Error(`${method} ${route} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const snapshot = async (range = '1h') => (await ok('GET', `/dashboard?range=${range}`)) as Snapshot;
  const sum = (s: Snapshot, key: 'total' | 'errors') => s.timeseries.reduce((n, p) => n + p[key], 0);
  const echo = (message: string) => client.callTool({ name: 'everything__echo', arguments: { message } });

  /** The leaderboard as the view shows it: tool → [calls, errors]. */
  const leaderboard = (frame: Frame) =>
    frame
      .locator('[data-table="tools"] tbody tr')
      .evaluateAll((rows) =>
        Object.fromEntries(rows.map((r) => [r.getAttribute('data-key'), [...r.querySelectorAll('td')].slice(2, 4).map((td) => Number(td.textContent))])),
      );
  const shownSum = (frame: Frame) => frame.locator('.dashboard').getAttribute('data-sum-total').then(Number);

  beforeAll(async () => {
    const vsix = await packageMcplexer();
    server = await startCodeServer({ extensions: [vsix], folders: ['project'], settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    [project] = server.folders as [string];
    daemon = daemonOf(server);
    bench = await openWorkbench(server, project);
    page = bench.page;
    await waitForActivation(server, EXTENSION_ID);
    await daemon.healthy();
    await ok('POST', '/downstreams', { id: 'everything', name: 'Everything', namespace: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] });
    await ok('POST', '/downstreams/everything/discover');
    client = new Client({ name: 'e2e-dashboard-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${daemon.lock()!.port}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${daemon.token()}`, 'x-mcplexer-workspace': project } },
      }),
    );
    // Real calls before the view opens: six echoes, two sums, one tool error.
    for (let i = 0; i < 6; i++) await echo(`before ${i}`);
    for (let i = 0; i < 2; i++) await client.callTool({ name: 'everything__get-sum', arguments: { a: i, b: 1 } });
    await client.callTool({ name: 'everything__echo', arguments: { message: 42 } });
  }, 240_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await bench?.close();
    await server?.stop();
  });

  it('MCPlexer: Open Dashboard shows the calls in its chart and leaderboard, as GET /api/v1/dashboard counts them', async () => {
    await runCommand(page, 'MCPlexer: Open Dashboard');
    const frame = await webviewFrame(page, 'Dashboard');
    const real = await snapshot();
    expect(real.stats.total_requests).toBe(9);
    await expect.poll(() => shownSum(frame), { timeout: 20_000 }).toBe(sum(real, 'total'));
    expect(Number(await frame.locator('.dashboard').getAttribute('data-sum-errors'))).toBe(sum(real, 'errors'));
    expect(await frame.locator('[data-figure="total"] .value').innerText()).toBe('9');
    // The leaderboard rows are the gateway's, row for row.
    const expected = Object.fromEntries(real.tool_leaderboard.map((t) => [t.tool_name, [t.call_count, t.error_count]]));
    expect(expected).toMatchObject({ everything__echo: [7, 1], 'everything__get-sum': [2, 0] });
    await expect.poll(() => leaderboard(frame), { timeout: 10_000 }).toEqual(expected);
    // The bars are drawn: the calls chart's canvas holds pixels of the theme's chart colour.
    const drawn = await frame.locator('[data-chart="calls"] canvas').evaluate((canvas: HTMLCanvasElement) => {
      const hex = getComputedStyle(document.documentElement).getPropertyValue('--vscode-charts-blue').trim();
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let hits = 0;
      for (let i = 0; i < data.length; i += 4)
        if (Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 24 && data[i + 3]! > 200) hits++;
      return { hex, hits };
    });
    expect(drawn.hex).toMatch(/^#[0-9a-f]{6}$/i);
    expect(drawn.hits).toBeGreaterThan(20);
    expect(await frame.locator('.chart-summary').innerText()).toContain('9 calls, 1 errors');
    expect(await frame.locator('#app').innerText()).not.toContain('undefined');
    await screenshot(page, 'vscode-dashboard-view');
  });

  it('more calls show up live, without a reload, and the view stays in step with the gateway', async () => {
    const frame = await webviewFrame(page, 'Dashboard');
    await expect.poll(() => frame.locator('.dashboard').getAttribute('data-live'), { timeout: 15_000 }).toBe('open');
    const draws = Number(await frame.locator('.dashboard').getAttribute('data-draws'));
    for (let i = 0; i < 5; i++) await echo(`live ${i}`);
    await expect.poll(() => shownSum(frame), { timeout: 10_000 }).toBe(14);
    expect(sum(await snapshot(), 'total')).toBe(14);
    await expect.poll(() => leaderboard(frame), { timeout: 10_000 }).toMatchObject({ everything__echo: [12, 1] });
    // Live, not reloaded: the same page drew again.
    expect(Number(await frame.locator('.dashboard').getAttribute('data-draws'))).toBeGreaterThan(draws);
  });

  it('the range picker shows another range’s figures', async () => {
    const frame = await webviewFrame(page, 'Dashboard');
    const range = frame.locator('#range');
    await range.click();
    // 1h → 6h → 24h → 7d: three steps down, as a user moves in the list.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => range.evaluate((el) => (el as HTMLSelectElement).value)).toBe('7d');
    const week = await snapshot('7d');
    expect(week.timeseries).toHaveLength(168);
    await expect.poll(() => frame.locator('.chart-summary').innerText(), { timeout: 10_000 }).toContain('Last 7 days: 14 calls');
    expect(await shownSum(frame)).toBe(sum(week, 'total'));
  });

  it('MCPlexer: Flush Caches says what it flushed', async () => {
    await commandToPick(page, 'MCPlexer: Flush Caches', 'What to flush');
    await pickRow(page, /What to flush/, /All caches/);
    await waitForNotification(page, 'MCPlexer: Flushed every cache:');
    const stats = (await ok('GET', '/cache/stats')) as { tool_call: { entries: number } };
    expect(stats.tool_call.entries).toBe(0);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });
});
