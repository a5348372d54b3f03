/**
 * The browser dashboard in real Chromium against a real daemon started as `npm start` starts it
 * (`node dist/cli.js serve`, its own data dir): the page signs in with the token typed into its form
 * (kept in sessionStorage only) or with `mcplexer open`'s one-time code (spent for an HttpOnly
 * cookie, and gone from the address bar); the views run in it with their real bundles under the
 * page's CSP, and follow the daemon live while an SDK client makes calls; a pending call is approved
 * from the page's session; and a page on another loopback origin — the same "site" for cookies —
 * gets nothing: its fetches fail or are refused, its writes change nothing, and it cannot frame
 * the dashboard. Screenshot: .e2e/artifacts/browser-dashboard.png.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING } from '../fixtures/downstream-servers.js';
import { waitFor } from '../helpers/gateway.js';
import { ROOT, launchChromium, screenshot } from './harness';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MCPLEXER_') && !key.startsWith('VITEST')));

let home: string;
let daemon: ChildProcess;
let url: string;
let token: string;
let browser: Browser;
let mcp: Client;
let foreign: Server;
let foreignOrigin: string;

const api = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${url}/api/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
};

/** Errors the page and its frames logged, minus the browser's own lines for the 401 of "no session yet". */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && !/status of 401/.test(m.text()) && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(String(e)));
  return errors;
}

const serversFrame = (page: Page) => page.frameLocator('iframe#panel-servers');

beforeAll(async () => {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  home = mkdtempSync(path.join(tmpdir(), 'mcplexer-e2e-browser-'));
  daemon = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--home', home], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  daemon.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const printed = await waitFor(() => /Dashboard: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr)?.[1], 20_000);
  if (!printed) throw new Error(`serve printed no dashboard URL:\n${stderr}`);
  url = printed;
  token = readFileSync(path.join(home, 'api-token'), 'utf8').trim();
  await api('POST', '/downstreams', { id: 'ev', name: 'Everything', namespace: 'ev', command: process.execPath, args: [EVERYTHING, 'stdio'] });
  await api('POST', '/routes', { id: 'gate-sum', workspace_id: 'global', tool_pattern: 'ev__get-sum', policy: 'approve' });
  mcp = new Client({ name: 'e2e-sdk-client', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));

  // Another origin on loopback: what any local web page (or a malicious one a user opens) could do.
  foreign = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><body>
<iframe id="embed" src="${url}/"></iframe><iframe id="embed-view" src="${url}/ui/view/servers"></iframe>
<script>
window.results = (async () => {
  const out = {};
  const attempt = async (name, fn) => { try { const r = await fn(); out[name] = 'answered ' + r.status + (r.type === 'opaque' ? ' (opaque)' : ''); } catch (e) { out[name] = 'failed: ' + e.name; } };
  await attempt('get', () => fetch('${url}/api/v1/workspaces', { credentials: 'include' }));
  await attempt('getWithToken', () => fetch('${url}/api/v1/workspaces', { headers: { authorization: 'Bearer guessed-token-guessed-token' } }));
  await attempt('postJson', () => fetch('${url}/api/v1/downstreams', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Evil', namespace: 'evil', command: 'sh', args: ['-c', 'touch /tmp/pwned'] }) }));
  await attempt('postNoCors', () => fetch('${url}/api/v1/downstreams', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'Evil2', namespace: 'evil2', command: 'sh', args: [] }) }));
  await attempt('codes', () => fetch('${url}/api/v1/ui/codes', { method: 'POST', mode: 'no-cors', credentials: 'include' }));
  return out;
})();
</script></body>`);
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as { port: number }).port}`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await mcp?.close().catch(() => undefined);
  await new Promise((resolve) => (foreign ? foreign.close(resolve) : resolve(undefined)));
  if (daemon && daemon.exitCode === null) {
    daemon.kill('SIGTERM');
    await new Promise((resolve) => daemon.once('exit', resolve));
  }
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the browser dashboard against `mcplexer serve`', () => {
  let signedIn: BrowserContext;

  it('asks for the token once, keeps it in sessionStorage only, and shows the views, live as an SDK client calls', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${url}/`);
    await page.locator('#token').waitFor();
    expect(await page.locator('.sign-in').innerText()).toContain('mcplexer token');
    await page.locator('#token').click();
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await expect(page.locator('[role=tab]').allInnerTexts()).resolves.toBeDefined();
    await page.locator('#tab-servers[aria-selected=true]').waitFor();
    expect(await page.locator('[role=tab]').allInnerTexts()).toEqual(['Servers', 'Routes']);
    const row = serversFrame(page).locator('vscode-collapsible.server', { hasText: 'Everything' });
    await row.waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('mcplexer.api-token'))).toBe(token);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // A call from an SDK client starts the server: its live state reaches the view over the event stream.
    expect(await row.locator('[data-icon="pass"]').count()).toBe(0);
    const answer = await mcp.callTool({ name: 'ev__echo', arguments: { message: 'from the SDK' } });
    expect(JSON.stringify(answer)).toContain('from the SDK');
    await row.locator('[data-icon="pass"]').waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('signs in with the one-time code of `mcplexer open`: an HttpOnly cookie, the code gone from the address bar and spent', async () => {
    const link = execFileSync(process.execPath, [CLI, 'open', '--print', '--home', home], { env: ENV, encoding: 'utf8' }).trim();
    const code = new URL(link).searchParams.get('code')!;
    signedIn = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const page = await signedIn.newPage();
    const errors = watch(page);
    await page.goto(link);
    await serversFrame(page).locator('vscode-collapsible.server', { hasText: 'Everything' }).waitFor();
    expect(page.url()).toBe(`${url}/#servers`);
    const cookies = await signedIn.cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: `mcplexer_session_${new URL(url).port}`, httpOnly: true, sameSite: 'Strict', path: '/' })]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('mcplexer.api-token'))).toBeNull();
    await page.locator('#tab-routes').click();
    await page.frameLocator('iframe#panel-routes').getByText('mcpx__*').first().waitFor();
    await page.locator('#tab-servers').click();
    await screenshot(page, 'browser-dashboard');
    // The same link again (a reload of a bookmarked URL, a second tab): the code is spent.
    const again = await browser.newContext();
    const second = await again.newPage();
    await second.goto(link);
    await second.locator('.sign-in [role=alert]').waitFor();
    expect(await second.locator('.sign-in [role=alert]').innerText()).toContain('one-time code');
    expect(second.url()).not.toContain(code);
    await again.close();
    expect(errors).toEqual([]);
  });

  it('approves a pending call from the signed-in page (its cookie session), and the SDK client gets its answer', async () => {
    const page = signedIn.pages()[0]!;
    const call = mcp.callTool({ name: 'ev__get-sum', arguments: { a: 20, b: 22 } });
    const pending = await waitFor(
      async () => ((await api('GET', '/approvals?status=pending')) as Array<{ id: string; tool_name: string }>).find((a) => a.tool_name === 'ev__get-sum'),
      20_000,
    );
    if (!pending) throw new Error('the gated call never became pending');
    // Until the Approvals view lands: the page's own origin, with only its cookie, resolves it.
    const status = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/approvals/${id}/resolve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ approved: true }),
      });
      return res.status;
    }, pending.id);
    expect(status).toBe(200);
    expect(JSON.stringify(await call)).toContain('42');
    const record = await api('GET', `/approvals/${pending.id}`);
    expect(record).toMatchObject({ status: 'approved', approver_type: 'dashboard' });
  });

  it('gives a page on another loopback origin nothing: no answer, no write, no frame — even with the session cookie in the browser', async () => {
    const page = await signedIn.newPage();
    const before = await api('GET', '/downstreams');
    await page.goto(`${foreignOrigin}/`);
    const results = await page.evaluate(() => (window as unknown as { results: Promise<Record<string, string>> }).results);
    expect(results).toEqual({
      get: 'failed: TypeError',
      getWithToken: 'failed: TypeError',
      postJson: 'failed: TypeError',
      postNoCors: 'answered 0 (opaque)',
      codes: 'answered 0 (opaque)',
    });
    expect(await api('GET', '/downstreams')).toEqual(before);
    // Neither the page nor a view document rendered inside the foreign page.
    await page.waitForTimeout(1000);
    for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
      const app = await frame.evaluate(() => document.getElementById('app')?.outerHTML ?? null).catch((error: Error) => `blocked: ${error.message}`);
      expect(app === null || String(app).startsWith('blocked')).toBe(true);
    }
    expect(await page.frameLocator('#embed').locator('#app').count()).toBe(0);
    expect(await page.frameLocator('#embed-view').locator('#app').count()).toBe(0);
    await page.close();
  });
});
