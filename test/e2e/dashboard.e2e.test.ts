import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardProtocol } from '../../src/shared/webviews/dashboard-protocol.js';
import { dashboardHandlers } from '../../src/shared/webviews/host/dashboard-handlers.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectHttp } from '../helpers/mcp.js';
import { THEMES } from './webview/themes.js';
import { openViewPage, startPageServer, type PageServer, type ViewPage } from './webview/view-page.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EVERYTHING } from '../fixtures/downstream-servers';
import {
  ARTIFACTS_DIR,
  launchChromium,
  openWebviewView,
  openWorkbench,
  ROOT,
  runCommand,
  screenshot,
  startCodeServer,
  waitForActivation,
  waitForNotification,
  webviewFrame,
} from './harness';
import type { CodeServer, Workbench } from './harness';
import { commandToPick, daemonOf, EXTENSION_ID, packageMcplexer, pickRow, type Daemon } from './harness/mcplexer';

/**
 * The Dashboard view inside real VS Code (code-server 4.103.2, the .vsix installed): after real
 * calls from an external SDK client, `MCPlexer: Open Dashboard` shows them in its chart (the bars
 * are drawn on the canvas, and the plotted sums are GET /api/v1/dashboard's) and in its
 * leaderboard (each row's counts are the gateway's); more calls show up live without a reload; the
 * range picker asks for another range and shows its figures; `MCPlexer: Flush Caches` says what it
 * flushed. And the same bundle in headless Chromium under its real CSP (the extension's HTML, nonce
 * and policy), in the dark, light and high-contrast variable sets: uPlot draws without a single
 * CSP violation, no message is dropped, and live calls redraw it.
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
    const frame = await openWebviewView(page, 'MCPlexer: Open Dashboard', 'Dashboard');
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
    expect(await barPixels(frame)).toBeGreaterThan(20);
    expect(await frame.locator('.chart-summary').innerText()).toContain('9 calls, 1 error');
    expect(await frame.locator('#app').innerText()).not.toContain('undefined');
    // For the README: the Dashboard alone in the sidebar, no toast over it.
    for (const title of ['Servers', 'Routes']) {
      const header = page.locator('#workbench\\.parts\\.sidebar .pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) });
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    await runCommand(page, 'Notifications: Clear All Notifications');
    await expect.poll(() => barPixels(frame), { timeout: 10_000 }).toBeGreaterThan(20);
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

/** Counts the pixels of `--vscode-charts-blue` on the calls chart's canvas (its bars). */
async function barPixels(page: Page | Frame): Promise<number> {
  return page.locator('[data-chart="calls"] canvas').evaluate((canvas: HTMLCanvasElement) => {
    const hex = getComputedStyle(document.documentElement).getPropertyValue('--vscode-charts-blue').trim();
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let hits = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 24 && data[i + 3]! > 200) hits++;
    return hits;
  });
}

describe('the Dashboard bundle under its real CSP (headless Chromium, real gateway)', () => {
  let gw: TestGateway;
  let mcp: Awaited<ReturnType<typeof connectHttp>>;
  let browser: Browser;
  let pages: PageServer;
  let outdir: string;
  const opened: ViewPage[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    const added = await gw.api('POST', '/downstreams', {
      id: 'everything',
      name: 'Everything',
      namespace: 'everything',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    });
    expect(added.status).toBe(201);
    expect((await gw.api('POST', '/downstreams/everything/discover')).status).toBe(200);
    mcp = await connectHttp(gw, { name: 'dashboard-render' });
    for (let i = 0; i < 5; i++) await mcp.callTool({ name: 'everything__echo', arguments: { message: `render ${i}` } });
    await mcp.callTool({ name: 'everything__echo', arguments: { message: 42 } });
    outdir = mkdtempSync(path.join(tmpdir(), 'mcplexer-dashboard-dist-'));
    const build = (await import(pathToFileURL(path.join(ROOT, 'esbuild.webview.mjs')).href)) as { buildWebviews(o: { outdir: string }): Promise<string> };
    await build.buildWebviews({ outdir });
    pages = await startPageServer(outdir);
    browser = await launchChromium();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    for (const view of opened) await view.page.close().catch(() => undefined);
    await browser?.close();
    await pages?.close();
    await mcp?.close().catch(() => undefined);
    await gw?.close();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it.each(Object.keys(THEMES) as Array<keyof typeof THEMES>)(
    '%s: the charts are drawn, the figures are the gateway’s, live calls redraw it, and the CSP blocks nothing',
    async (theme) => {
      const source = { client: () => gw.client, folders: () => [] };
      const disposers: Array<() => void> = [];
      // The view subscribes as soon as it is ready, which may be before openViewPage returns: the
      // handlers' first notes (`dashboard/live`) wait for the page (they threw on an unset `view`
      // before, failing the subscribe, so the view never drew its first snapshot).
      let view: ViewPage | undefined;
      const early: Array<[string, unknown]> = [];
      const notify = (method: string, params: unknown) => (view ? view.notify(method, params) : void early.push([method, params]));
      view = await openViewPage(browser, pages, {
        view: 'dashboard',
        theme: THEMES[theme],
        protocol: dashboardProtocol,
        handlers: dashboardHandlers(source, { notify: notify as never, onDispose: (fn) => void disposers.push(fn) }),
        gatewayUrl: gw.url,
        width: 420,
      });
      for (const [method, params] of early.splice(0)) view.notify(method, params);
      opened.push(view);
      const { page } = view;
      const real = (await gw.api('GET', '/dashboard?range=1h')).body as Snapshot;
      await expect.poll(() => page.locator('.dashboard').getAttribute('data-sum-total'), { timeout: 15_000 }).toBe(String(real.stats.total_requests));
      await expect.poll(() => page.locator('.dashboard').getAttribute('data-live'), { timeout: 15_000 }).toBe('open');
      expect(await barPixels(page)).toBeGreaterThan(20);
      expect(await page.locator('[data-table="tools"] tr[data-key="everything__echo"] td').allInnerTexts()).toEqual(
        expect.arrayContaining(['everything__echo', String(real.tool_leaderboard[0]!.call_count)]),
      );
      // Live: three more calls, no reload.
      const before = real.stats.total_requests;
      for (let i = 0; i < 3; i++) await mcp.callTool({ name: 'everything__echo', arguments: { message: `${theme} live ${i}` } });
      await expect.poll(() => page.locator('.dashboard').getAttribute('data-sum-total'), { timeout: 10_000 }).toBe(String(before + 3));
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `webview-dashboard-${theme}.png`), fullPage: true });
      expect(await view.violations()).toEqual([]);
      expect(view.drops).toEqual([]);
      expect(view.hostLog).toEqual([]);
      expect(view.consoleErrors).toEqual([]);
      for (const dispose of disposers) dispose();
    },
  );
});
