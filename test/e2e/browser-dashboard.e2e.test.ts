/**
 * The browser dashboard in real Chromium against a real daemon started as `npm start` starts it
 * (`node dist/cli.js serve`, its own data dir): the page signs in with the token typed into its form
 * (kept in sessionStorage only) or with `mcplexer open`'s one-time code (spent for a session kept
 * in the tab's sessionStorage, never a cookie, and gone from the address bar); the views run in it with their real bundles under the
 * page's CSP; its Audit tab lists an SDK client's calls live (no reload), arguments redacted; a
 * pending call is approved by clicking Approve in its Approvals tab (the SDK client's call then
 * completes; the record says `approver_type: dashboard`); and a page on another loopback origin — the same "site" for cookies —
 * gets nothing: the browser sends its server no session, its fetches fail or are refused, its
 * writes change nothing, and it cannot frame the dashboard. Screenshots: .e2e/artifacts/browser-dashboard.png, browser-dashboard-approvals.png.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
/** The Cookie headers the foreign server was sent (a browser sends 127.0.0.1's cookies to every port of it). */
const foreignCookies: string[] = [];

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
const auditFrame = (page: Page) => page.frameLocator('iframe#panel-audit');
const SECRET = 'sk-live-browserDashboardSecret0123';

/** The newest audit record of a tool, once `GET /audit` has it. */
async function newestAudit(tool: string): Promise<Record<string, unknown>> {
  const found = await waitFor(async () => ((await api('GET', `/audit?tool_name=${tool}&limit=1`)) as { data: Array<Record<string, unknown>> }).data[0], 15_000);
  if (!found) throw new Error(`no audit record of ${tool}`);
  return found;
}

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
  // A workspace's own rule: the browser's Routes tab shows every workspace, not the global rules alone.
  await api('POST', '/workspaces', { id: 'ws-shop', name: 'Shop', root_path: path.join(home, 'shop') });
  await api('POST', '/routes', { id: 'shop-deny', workspace_id: 'ws-shop', tool_pattern: 'ev__write-shop-file', policy: 'deny' });
  mcp = new Client({ name: 'e2e-sdk-client', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));

  // Another origin on loopback: what any local web page (or a malicious one a user opens) could do.
  foreign = createServer((req, res) => {
    if (req.headers.cookie) foreignCookies.push(req.headers.cookie);
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

  it("asks for the token once, keeps a session for it (never the token), and shows every view; the Audit tab lists an SDK client's calls live", async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${url}/`);
    await page.locator('#token').waitFor();
    expect(await page.locator('.sign-in').innerText()).toContain('mcplexer token');
    await page.locator('#token').click();
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.locator('#tab-servers[aria-selected=true]').waitFor();
    expect(await page.locator('[role=tab]').allInnerTexts()).toEqual(['Servers', 'Routes', 'Dashboard', 'Audit', 'Approvals']);
    const row = serversFrame(page).locator('vscode-collapsible.server', { hasText: 'Everything' });
    await row.waitFor();
    // The header says the gateway is connected without another tab being clicked (it stayed on
    // "Connecting…" when it was drawn before the host's state changed).
    await page.locator('.dashboard-header .connection', { hasText: `Gateway ${url}` }).waitFor({ timeout: 10_000 });
    // The token bought a session and was not kept: a kept token went out again on every reconnect.
    expect(await page.evaluate(() => sessionStorage.getItem('mcplexer.api-token'))).toBeNull();
    expect(await page.evaluate(() => sessionStorage.getItem('mcplexer.ui-session'))).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)))).not.toContain(token);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // The Audit tab: live before any call, then each call of an SDK client appears, newest on top, without a reload.
    await page.locator('#tab-audit').click();
    expect(page.url()).toBe(`${url}/#audit`);
    const audit = auditFrame(page);
    await expect.poll(() => audit.locator('.toolbar .connection').innerText(), { timeout: 20_000 }).toMatch(/^Live/);
    const held = await audit.locator('li.record').count();
    // A mark in the page and in the view's document: a reload of either would drop it.
    const auditDocument = page.frames().find((f) => f.url().endsWith('/ui/view/audit'))!;
    await page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
    await auditDocument.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
    const answer = await mcp.callTool({ name: 'ev__echo', arguments: { message: 'from the SDK', api_key: SECRET } });
    expect(JSON.stringify(answer)).toContain('from the SDK');
    const first = await newestAudit('ev__echo');
    const echoRow = audit.locator(`li.record[data-id="${String(first.id)}"]`);
    await echoRow.waitFor({ timeout: 20_000 });
    expect(await echoRow.locator('.tool').innerText()).toBe('ev__echo');
    await mcp.callTool({ name: 'ev__get-tiny-image', arguments: {} });
    await mcp.callTool({ name: 'ev__echo', arguments: { message: 'second call' } });
    await expect.poll(() => audit.locator('li.record').count(), { timeout: 20_000 }).toBe(held + 3);
    expect(await audit.locator('li.record').first().getAttribute('data-tool')).toBe('ev__echo');
    expect(await audit.locator('li.record').nth(1).getAttribute('data-tool')).toBe('ev__get-tiny-image');
    // Its detail: the arguments as the audit holds them, redacted; the secret never reached the page.
    await echoRow.locator('.record-line').click();
    expect(JSON.parse(await echoRow.locator('pre.arguments').innerText())).toEqual({ message: 'from the SDK', api_key: '[REDACTED]' });
    expect(await audit.locator('#app').innerText()).not.toContain(SECRET);
    expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
    expect(await auditDocument.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);

    // The same call started the server: its live state reached the Servers tab too.
    await page.locator('#tab-servers').click();
    await row.locator('[data-icon="pass"]').waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('signs in with the one-time code of `mcplexer open`: a session in the tab, no cookie, the code gone from the address bar and spent', async () => {
    const link = execFileSync(process.execPath, [CLI, 'open', '--print', '--home', home], { env: ENV, encoding: 'utf8' }).trim();
    const code = new URL(link).searchParams.get('code')!;
    signedIn = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const page = await signedIn.newPage();
    const errors = watch(page);
    await page.goto(link);
    await serversFrame(page).locator('vscode-collapsible.server', { hasText: 'Everything' }).waitFor();
    expect(page.url()).toBe(`${url}/#servers`);
    // No cookie at all: the browser would send one of 127.0.0.1 to every port of it.
    expect(await signedIn.cookies()).toEqual([]);
    expect(await page.evaluate(() => sessionStorage.getItem('mcplexer.ui-session'))).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate(() => sessionStorage.getItem('mcplexer.api-token'))).toBeNull();
    // A reload keeps the tab signed in.
    await page.reload();
    await serversFrame(page).locator('vscode-collapsible.server', { hasText: 'Everything' }).waitFor();
    await page.locator('#tab-routes').click();
    const routes = page.frameLocator('iframe#panel-routes');
    await routes.getByText('mcpx__*').first().waitFor();
    await routes.locator('.folder', { hasText: 'Shop' }).getByText('ev__write-shop-file').waitFor();
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

  it('`mcplexer open` hands the browser a private page, not the link, and that page leads Chromium to the signed-in dashboard', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'mcplexer-open-'));
    try {
      const record = path.join(scratch, 'argv');
      const opener = path.join(scratch, 'opener.sh');
      writeFileSync(opener, `#!/bin/sh\nprintf '%s' "$*" > '${record}'\n`);
      chmodSync(opener, 0o755);
      execFileSync(process.execPath, [CLI, 'open', '--home', home], { env: { ...ENV, BROWSER: opener }, encoding: 'utf8' });
      const argv = await waitFor(() => readFileSync(record, 'utf8'));
      expect(argv).toMatch(/^file:\/\/\S+\.html$/);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(argv);
      await serversFrame(page).locator('vscode-collapsible.server', { hasText: 'Everything' }).waitFor({ timeout: 20_000 });
      expect(page.url()).toBe(`${url}/#servers`);
      await context.close();
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('approves a pending call by clicking Approve in the Approvals tab, and the SDK client gets its answer', async () => {
    const page = signedIn.pages()[0]!;
    const errors = watch(page);
    await page.locator('#tab-approvals').click();
    const approvals = page.frameLocator('iframe#panel-approvals');
    await expect.poll(() => approvals.locator('.toolbar .connection').innerText(), { timeout: 20_000 }).toBe('0 pending');
    const call = mcp.callTool({ name: 'ev__get-sum', arguments: { a: 20, b: 22 } });
    // The pending request appears live in the tab (the approvals stream), no reload.
    const card = approvals.locator('section.card.pending', { hasText: 'ev__get-sum' });
    await card.waitFor({ timeout: 20_000 });
    const id = (await card.getAttribute('data-approval'))!;
    expect(await card.innerText()).toContain('e2e-sdk-client');
    expect(await card.locator('pre.arguments').innerText()).toContain('"a": 20');
    expect(await approvals.locator('.toolbar .connection').innerText()).toBe('1 pending');
    await screenshot(page, 'browser-dashboard-approvals');
    await card.locator('vscode-button.approve').click();
    expect(JSON.stringify(await call)).toContain('42');
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(0);
    await approvals.locator(`.history-row[data-approval="${id}"]`).waitFor({ timeout: 15_000 });
    expect(await approvals.locator(`.history-row[data-approval="${id}"]`).innerText()).toContain('approved by the dashboard');
    expect(await api('GET', `/approvals/${id}`)).toMatchObject({ status: 'approved', approver_type: 'dashboard' });
    // …and the Audit tab of the same page has the approved call.
    await page.locator('#tab-audit').click();
    const record = await newestAudit('ev__get-sum');
    expect(record).toMatchObject({ status: 'success', approval_id: id });
    await auditFrame(page)
      .locator(`li.record[data-id="${String(record.id)}"]`)
      .waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
  });

  it('gives a page on another loopback origin nothing: no session sent to it, no answer, no write, no frame — with the dashboard signed in', async () => {
    const page = await signedIn.newPage();
    const before = await api('GET', '/downstreams');
    await page.goto(`${foreignOrigin}/`);
    // What a local server on another port is sent by the signed-in browser: nothing of MCPlexer's.
    expect(foreignCookies).toEqual([]);
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
