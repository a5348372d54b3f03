import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSource } from '../../src/extension/views/client-source.js';
import type { ClientSource } from '../../src/shared/webviews/host/client-source.js';
import { approvalsHandlers } from '../../src/shared/webviews/host/approvals-handlers.js';
import { VIEWS, type ViewName } from '../../src/shared/webviews/host/views.js';
import { auditHandlers } from '../../src/shared/webviews/host/audit-handlers.js';
import { routesHandlers } from '../../src/shared/webviews/host/routes-handlers.js';
import { serversHandlers } from '../../src/shared/webviews/host/servers-handlers.js';
import { ApiError, RestClient } from '../../src/shared/rest-client.js';
import { approvalsProtocol } from '../../src/shared/webviews/approvals-protocol.js';
import { auditProtocol } from '../../src/shared/webviews/audit-protocol.js';
import type { AnyProtocol } from '../../src/shared/webviews/protocol.js';
import { routesProtocol, RULE_ORDER_PROBE } from '../../src/shared/webviews/routes-protocol.js';
import { serversProtocol } from '../../src/shared/webviews/servers-protocol.js';
import type { Handlers } from '../../src/shared/webviews/host/host-channel.js';
import type { HostContext } from '../../src/shared/webviews/host/host-context.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { connectHttp } from '../helpers/mcp.js';
import { ARTIFACTS_DIR, launchChromium, ROOT } from './harness';
import { startViewsGateway } from './webview/gateway-setup.js';
import { THEMES } from './webview/themes.js';
import { consentOverHttp, startIntrospectedMcp, startOidcProvider } from '../fixtures/oidc-servers.js';
import { lowContrast } from './webview/readable.js';
import { openViewPage, startPageServer, type PageServer, type ViewPage } from './webview/view-page.js';

/**
 * Renders the built Servers, Routes, Audit and Approvals webviews in headless Chromium under their real CSP, with the
 * real host channel and handlers answering from a real gateway (only VS Code is missing), in the
 * dark, light and high-contrast variable sets; screenshots go to .e2e/artifacts/. Proves: the CSP
 * blocks nothing the views need, no message is dropped, a failed server shows its spawn error, a
 * server hidden by a deny rule names the rule, the rules show in the gateway's evaluation order,
 * dry-run shows what POST /dry-run answers, form errors land on their fields (the shared zod schema
 * and the gateway's own answer), a 409 on delete offers the cascade, the Audit view lists what
 * GET /audit holds and takes live records, the Approvals view shows a pending call that its Approve
 * button lets through, and every visible text is readable in every theme: a contrast of at least
 * 3:1 against what it is drawn on (readable.ts; VS Code's own description text is 3.9-4.4:1).
 */
const themes = Object.keys(THEMES) as Array<keyof typeof THEMES>;
const shot = (name: string) => path.join(ARTIFACTS_DIR, `webview-${name}.png`);

describe('webviews rendered against a real gateway', () => {
  let gw: TestGateway;
  let folder: string;
  let browser: Browser;
  let pages: PageServer;
  let source: ClientSource;
  let outdir: string;
  let mcp: Awaited<ReturnType<typeof connectHttp>> | undefined;
  const opened: ViewPage[] = [];

  beforeAll(async () => {
    ({ gw, folder } = await startViewsGateway());
    outdir = mkdtempSync(path.join(tmpdir(), 'mcplexer-webview-dist-'));
    const build = (await import(pathToFileURL(path.join(ROOT, 'esbuild.webview.mjs')).href)) as { buildWebviews(o: { outdir: string }): Promise<string> };
    await build.buildWebviews({ outdir });
    pages = await startPageServer(outdir);
    const client = new RestClient(gw.url, gw.token);
    source = clientSource({ state: 'ready', client, url: gw.url, folders: [folder] } as never);
    browser = await launchChromium();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    for (const view of opened) await view.page.close().catch(() => undefined);
    await mcp?.close().catch(() => undefined);
    await browser?.close();
    await pages?.close();
    await gw?.close();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  const open = async (view: 'servers' | 'routes', theme: keyof typeof THEMES, initialState?: unknown) => {
    const common = { theme: THEMES[theme], gatewayUrl: gw.url, initialState };
    const page =
      view === 'servers'
        ? await openViewPage(browser, pages, { ...common, view, protocol: serversProtocol, handlers: serversHandlers(source) })
        : await openViewPage(browser, pages, { ...common, view, protocol: routesProtocol, handlers: routesHandlers(source) });
    opened.push(page);
    return page;
  };

  /** A view whose handlers hold a live stream (Audit, Approvals): built per page, closed with it. */
  const openLive = async <P extends AnyProtocol>(
    view: string,
    protocol: P,
    handlers: (source: ClientSource, context: HostContext<P>) => Handlers<P>,
    theme: keyof typeof THEMES,
    wrap: (handlers: Handlers<P>) => Handlers<P> = (h) => h,
  ) => {
    const disposers: Array<() => void> = [];
    // The view subscribes as soon as it is ready, which may be before openViewPage returns.
    let page: ViewPage | undefined;
    const early: Array<[string, unknown]> = [];
    const notify = (method: string, params: unknown) => (page ? page.notify(method, params) : void early.push([method, params]));
    page = await openViewPage(browser, pages, {
      view,
      theme: THEMES[theme],
      gatewayUrl: gw.url,
      protocol,
      handlers: wrap(handlers(source, { notify: notify as HostContext<P>['notify'], onDispose: (dispose) => void disposers.push(dispose) })),
    });
    for (const [method, params] of early.splice(0)) page.notify(method, params);
    page.page.once('close', () => disposers.splice(0).forEach((dispose) => dispose()));
    opened.push(page);
    return page;
  };

  const expectClean = async (view: ViewPage) => {
    expect(await lowContrast(view.page, 3)).toEqual([]);
    expect(await view.violations()).toEqual([]);
    expect(view.drops).toEqual([]);
    expect(view.hostLog).toEqual([]);
    expect(view.consoleErrors).toEqual([]);
  };

  it.each(themes)('Servers view (%s): live states, the spawn error, the deciding rule, dynamic and disabled explained', async (theme) => {
    const view = await open('servers', theme, { expanded: ['broken', 'memory', 'lazy', 'paused'], toolsOpen: [] });
    const { page } = view;
    await page.locator('vscode-collapsible.server').nth(4).waitFor();
    await expect.poll(() => page.locator('.explanation').count()).toBe(4);
    const text = await page.locator('#app').innerText();
    const broken = await page.locator('[data-server="broken"]').innerText();
    expect(broken).toContain('Failed to start');
    expect(broken).toContain('spawn mcplexer-no-such-command ENOENT');
    const memory = await page.locator('[data-server="memory"]').innerText();
    expect(memory).toContain('Hidden by a rule');
    expect(memory).toContain('“no memory here” (deny-memory) in workspace proj');
    expect(await page.locator('[data-server="lazy"]').innerText()).toContain('mcpx__search_tools');
    expect(await page.locator('[data-server="paused"]').innerText()).toContain('Disabled');
    expect(text).not.toContain('undefined');
    expect(
      await page.locator('vscode-collapsible.server').evaluateAll((els) => els.map((e) => (e as HTMLElement & { description: string }).description)),
    ).toEqual(['everything · ready', 'memory · ready', 'broken · failed', 'paused · disabled', 'lazy · stopped']);
    await page.screenshot({ path: shot(`servers-${theme}`), fullPage: true });
    await expectClean(view);
  });

  it.each(themes)('Routes view (%s): the chain in the gateway’s order and a dry-run as POST /dry-run answers', async (theme) => {
    const view = await open('routes', theme);
    const { page } = view;
    await page.locator('li.rule').first().waitFor();
    const probe = (await gw.api('POST', '/dry-run', { workspace_id: folder, tool_name: RULE_ORDER_PROBE })).body as { candidate_rules: Array<{ id: string }> };
    expect(await page.locator('li.rule').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')))).toEqual(probe.candidate_rules.map((c) => c.id));
    // The built-in rule is not edited here; the user's rules are.
    expect(await page.locator('[data-rule="builtin-allow"] vscode-icon[data-icon="edit"]').count()).toBe(0);
    expect(await page.locator('[data-rule="deny-memory"] vscode-icon[data-icon="edit"]').count()).toBe(1);
    view.notify('routes/runDryRun', { tool_name: 'memory__read_graph' });
    await page.locator('.dry-run-result .reason').waitFor();
    const real = (await gw.api('POST', '/dry-run', { workspace_id: folder, tool_name: 'memory__read_graph' })).body as { reason: string; policy: string };
    expect(await page.locator('.dry-run-result .reason').innerText()).toBe(real.reason);
    expect(await page.locator('.dry-run-result .verdict').first().innerText()).toContain(real.policy);
    await page.screenshot({ path: shot(`routes-${theme}`), fullPage: true });
    await expectClean(view);
  });

  // The form could neither set nor show a rule's approval timeout, answering channels or auth scope
  // (earlier trials): they reached a rule through the REST API only.
  it('Add and Edit rule: the approval timeout, who may answer and the auth scope reach the gateway, shown only where approvals apply', async () => {
    const scope = await gw.api('POST', '/auth-scopes', { id: 'render-scope', name: 'render-scope', type: 'env', env_vars: { RENDER_TOKEN: 'x1' } });
    expect(scope.status).toBe(201);
    const view = await open('routes', 'dark');
    const { page } = view;
    await page.locator('li.rule').first().waitFor();
    await page.locator('.toolbar vscode-icon[data-icon="add"]').click();
    const form = page.locator('form[aria-label="Add rule"]');
    await form.locator('#field-tool_pattern input').fill('everything__render-form');
    await form.locator('#field-name input').fill('asks in render');
    // Policy allow, mode following it: no approval can apply, so the fields are not there.
    expect(await form.locator('[data-field="approval_timeout_sec"]').count()).toBe(0);
    await form.locator('#field-policy').evaluate((el) => {
      (el as HTMLSelectElement).value = 'approve';
      el.dispatchEvent(new Event('change'));
    });
    await form.locator('#field-approval_timeout_sec input').fill('45');
    await form.locator('vscode-checkbox[name="approval_channel_mcp_agent"]').click();
    await form.locator('#field-auth_scope_id').evaluate((el) => {
      (el as HTMLSelectElement).value = 'render-scope';
      el.dispatchEvent(new Event('change'));
    });
    await page.screenshot({ path: shot('routes-form-approval-dark'), fullPage: true });
    await form.locator('vscode-button', { hasText: 'Add' }).click();
    type Rule = { id: string; name?: string; approval_timeout_sec?: number; approval_channels?: string[]; auth_scope_id?: string; policy: string };
    const find = async () => ((await gw.api('GET', '/routes')).body as Rule[]).find((r) => r.name === 'asks in render');
    await expect.poll(find, { timeout: 10_000 }).toMatchObject({
      policy: 'approve',
      approval_timeout_sec: 45,
      approval_channels: ['dashboard', 'client'],
      auth_scope_id: 'render-scope',
    });
    const id = (await find())!.id;
    try {
      // Edit: the form shows what is stored; emptying the timeout and opening the agent channel clears both.
      await page.locator(`[data-rule="${id}"] vscode-icon[data-icon="edit"]`).click();
      const editForm = page.locator('form[aria-label="Edit rule"]');
      expect(await editForm.locator('#field-approval_timeout_sec input').inputValue()).toBe('45');
      const agent = editForm.locator('vscode-checkbox[name="approval_channel_mcp_agent"]');
      expect(await agent.evaluate((el) => (el as HTMLInputElement).checked)).toBe(false);
      expect(await editForm.locator('#field-auth_scope_id').evaluate((el) => (el as HTMLSelectElement).value)).toBe('render-scope');
      // A dry-run asked from the palette while the tall form is open: its answer is brought into sight.
      view.notify('routes/runDryRun', { tool_name: 'everything__render-form' });
      const answer = page.locator('.dry-run-answer');
      await answer.waitFor();
      await expect.poll(() => answer.evaluate((el) => ((r) => r.top < window.innerHeight && r.bottom > 0)(el.getBoundingClientRect()))).toBe(true);
      await editForm.locator('#field-approval_timeout_sec input').fill('');
      await agent.click();
      await editForm.locator('vscode-button', { hasText: 'Save' }).click();
      await expect
        .poll(
          async () => {
            const rule = await find();
            return [rule?.approval_timeout_sec, rule?.approval_channels, rule?.auth_scope_id];
          },
          { timeout: 10_000 },
        )
        .toEqual([undefined, undefined, 'render-scope']);
      await expectClean(view);
    } finally {
      await gw.api('DELETE', `/routes/${id}`);
      await gw.api('DELETE', '/auth-scopes/render-scope');
    }
  });

  // Every view says the gateway is ready as soon as it is told, not only once its first load has
  // answered: a slow first answer (a cold gateway, many folders) left Routes and Approvals saying
  // "Connecting to the gateway…" beside a ready Servers view.
  it.each(Object.keys(VIEWS) as ViewName[])('%s view: shows the ready gateway at once, while its first load is still on its way', async (name) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = <P extends AnyProtocol>(handlers: Handlers<P>) =>
      Object.fromEntries(
        Object.entries(handlers).map(([method, handler]) => [
          method,
          async (params: unknown) => (await gate, (handler as (p: unknown) => Promise<unknown>)(params)),
        ]),
      ) as Handlers<P>;
    const entry = VIEWS[name] as unknown as {
      protocol: AnyProtocol;
      bundle: string;
      handlers: (s: ClientSource, c: HostContext<AnyProtocol>) => Handlers<AnyProtocol>;
    };
    const view = await openLive(entry.bundle, entry.protocol, entry.handlers, 'dark', held);
    const status = view.page.locator('.connection').first();
    await expect.poll(() => status.innerText(), { timeout: 5_000 }).not.toMatch(/Connecting to the gateway|^$/);
    expect(await status.innerText()).not.toContain('not reachable');
    release();
    await expect.poll(() => view.page.locator('vscode-progress-ring.busy:visible').count(), { timeout: 15_000 }).toBe(0);
    await expectClean(view);
  });

  // A daemon that died left the views showing their last state as live, with no way to act from them
  // (a new user's trial): every view now says so, greys what it holds, and offers the restart where
  // its host can do it (the extension: `restart` in the state; the browser page keeps retrying).
  it.each(Object.keys(VIEWS) as ViewName[])('%s view: an unreachable gateway is said, what it holds greyed, and Restart asks the host', async (name) => {
    const entry = VIEWS[name] as unknown as {
      protocol: AnyProtocol;
      bundle: string;
      handlers: (s: ClientSource, c: HostContext<AnyProtocol>) => Handlers<AnyProtocol>;
    };
    const view = await openLive(entry.bundle, entry.protocol, entry.handlers, 'dark');
    const { page } = view;
    const banner = page.locator('.offline');
    await expect.poll(() => page.locator('.connection, .status').first().innerText(), { timeout: 10_000 }).not.toMatch(/Connecting|^$/);
    expect(await banner.count()).toBe(0);
    view.notify('gateway/state', { state: 'error', restart: true });
    await banner.waitFor({ timeout: 5_000 });
    expect(await banner.innerText()).toContain('The gateway is not reachable: what this view shows is from before it stopped.');
    expect(await page.locator('#app').getAttribute('class')).toContain('stale');
    await banner.locator('vscode-button', { hasText: 'Restart gateway' }).click();
    await expect.poll(() => view.notes.includes('gateway/restart'), { timeout: 5_000 }).toBe(true);
    await page.screenshot({ path: shot(`offline-${name}`), fullPage: true });
    // A host that cannot restart it (the browser page): no button, it says it retries.
    view.notify('gateway/state', { state: 'error' });
    await expect.poll(() => banner.innerText(), { timeout: 5_000 }).toContain('Retrying…');
    expect(await banner.locator('vscode-button').count()).toBe(0);
    view.notify('gateway/state', { state: 'ready', url: gw.url });
    await expect.poll(() => banner.count(), { timeout: 5_000 }).toBe(0);
    expect(await page.locator('#app').getAttribute('class')).not.toContain('stale');
    expect(view.drops).toEqual([]);
    expect(view.consoleErrors).toEqual([]);
  });

  it('Add server form: the shared schema’s errors and the gateway’s own refusal land on their fields', async () => {
    const view = await open('servers', 'dark');
    const { page } = view;
    await page.locator('vscode-collapsible.server').first().waitFor();
    await page.locator('.toolbar vscode-icon[data-icon="add"]').click();
    await page.locator('#field-name input').pressSequentially('Second everything');
    // The namespace follows the name as it is typed (the palette's Add Server… suggests it too).
    await expect.poll(() => page.locator('#field-namespace input').inputValue()).toBe('second-everything');
    await page.locator('#field-namespace input').fill('Bad NS');
    // Once written by the user it stays theirs.
    await page.locator('#field-name input').pressSequentially(' 2');
    expect(await page.locator('#field-namespace input').inputValue()).toBe('Bad NS');
    await page.locator('form vscode-button', { hasText: 'Add' }).click();
    await expect.poll(() => page.locator('[data-field="namespace"] .field-error').innerText()).toContain('must match');
    expect(await page.locator('[data-field="command"] .field-error').count()).toBe(1);
    await page.screenshot({ path: shot('servers-form-invalid-dark'), fullPage: true });
    // Valid for the schema, refused by the gateway (the namespace is taken): its details map to the field.
    await page.locator('#field-namespace input').fill('everything');
    await page.locator('#field-command input').fill(process.execPath);
    await page.locator('form vscode-button', { hasText: 'Add' }).click();
    const refused = await gw.api('POST', '/downstreams', { name: 'Second everything', namespace: 'everything', command: process.execPath });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const detail = (refused.body as { error: { details: Array<{ path: string; message: string }>; message: string } }).error;
    const expected = detail.details.find((d) => d.path === 'namespace')?.message ?? detail.message;
    await expect.poll(() => page.locator('form').innerText()).toContain(expected);
    await page.screenshot({ path: shot('servers-form-refused-dark'), fullPage: true });
    await expectClean(view);
  });

  it('Delete: the 409 "still used" is explained and the cascade removes the server and its rules', async () => {
    const view = await open('servers', 'dark', { expanded: ['memory'], toolsOpen: [] });
    const { page } = view;
    const memory = page.locator('[data-server="memory"]');
    await memory.waitFor();
    await memory.locator('vscode-icon[data-icon="trash"]').click();
    await memory.locator('.confirm vscode-button', { hasText: 'Delete' }).click();
    await expect.poll(() => memory.locator('.confirm').innerText()).toContain('is still used by the rule “no memory here”');
    await page.screenshot({ path: shot('servers-delete-conflict-dark'), fullPage: true });
    await memory.locator('vscode-button', { hasText: 'Delete with its rules' }).click();
    await expect.poll(() => page.locator('[data-server="memory"]').count()).toBe(0);
    expect(gw.readConfig().downstreams.some((s) => s.id === 'memory')).toBe(false);
    expect(gw.readConfig().routes.some((r) => r.id === 'deny-memory')).toBe(false);
    await expectClean(view);
  });

  it('a remote server waiting for its OAuth account: the reason, the scope, and Connect Account (VS Code runs the command; the browser page shows the link)', async () => {
    const oidc = await startOidcProvider();
    const remote = await startIntrospectedMcp(oidc);
    try {
      await gw.api('POST', '/downstreams', { id: 'notes', name: 'Remote Notes', namespace: 'notes', url: remote.url });
      expect((await gw.api('POST', '/downstreams/notes/oauth-setup', {})).status).toBe(200);
      await gw.api('POST', '/downstreams/notes/discover');
      const started: string[] = [];
      const inVsCode = await openViewPage(browser, pages, {
        view: 'servers',
        theme: THEMES.dark,
        gatewayUrl: gw.url,
        initialState: { expanded: ['notes'], toolsOpen: [] },
        protocol: serversProtocol,
        handlers: serversHandlers(source, { connectAccount: (id) => void started.push(id) }),
      });
      opened.push(inVsCode);
      const row = inVsCode.page.locator('[data-server="notes"]');
      await expect.poll(() => row.innerText()).toContain('Waiting for its account: sign in');
      expect(await row.innerText()).toContain('auth scope “notes_oauth”: not connected');
      await inVsCode.page.screenshot({ path: shot('servers-needs-authorization-dark'), fullPage: true });
      await row.locator('vscode-button', { hasText: 'Connect Account' }).click();
      await expect.poll(() => started).toEqual(['notes']);
      await expect.poll(() => row.innerText()).toContain('Finish signing in in your browser');
      await expectClean(inVsCode);

      // The browser dashboard has no command to run: the view shows the link, which works.
      const inBrowser = await open('servers', 'light', { expanded: ['notes'], toolsOpen: [] });
      const browserRow = inBrowser.page.locator('[data-server="notes"]');
      await browserRow.locator('vscode-button', { hasText: 'Connect Account' }).click();
      await expect.poll(() => browserRow.innerText()).toMatch(/Open this link to connect the account “notes_oauth”: http:\/\/127\.0\.0\.1:\d+\/auth\?/);
      const link = /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(await browserRow.innerText())![1]!;
      await fetch(await consentOverHttp(link, `${gw.url}/api/v1/oauth/callback`));
      const status = await gw.api('GET', '/downstreams/notes/oauth-status');
      expect(status.body.entries).toEqual([expect.objectContaining({ auth_scope_name: 'notes_oauth', status: 'authenticated' })]);
      await expectClean(inBrowser);
    } finally {
      await gw.api('DELETE', '/downstreams/notes?cascade=true');
      await remote.stop();
      await oidc.stop();
    }
  });

  describe('with calls from an MCP client', () => {
    const SECRET = 'sk-live-webviewRenderSecret01234567';
    type Page = { data: Array<{ id: number | string; tool_name: string; status: string }> };
    const audit = async () => ((await gw.api('GET', '/audit?limit=50')).body as Page).data;

    beforeAll(async () => {
      // A call that waits for approval (in this folder's workspace), and a few that go through.
      const rule = await gw.api('POST', '/routes', {
        id: 'approve-sum',
        workspace_id: 'proj',
        tool_pattern: 'everything__get-sum',
        policy: 'approve',
        priority: 10,
      });
      expect(rule.status).toBe(201);
      mcp = await connectHttp(gw, { name: 'render-client', headers: { 'x-mcplexer-workspace': folder } });
      await mcp.callTool({ name: 'everything__echo', arguments: { message: 'rendered', api_key: SECRET } });
      await mcp.callTool({ name: 'everything__echo', arguments: { message: 42 } });
      await mcp.callTool({ name: 'everything__get-tiny-image', arguments: {} });
    });

    it.each(themes)('Audit view (%s): the records GET /audit holds, newest first, a live one, the detail redacted', async (theme) => {
      const view = await openLive('audit', auditProtocol, auditHandlers, theme);
      const { page } = view;
      await expect.poll(() => page.locator('.toolbar .connection').innerText(), { timeout: 15_000 }).toMatch(/^Live/);
      const held = await audit();
      expect(await page.locator('li.record').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual(held.map((r) => String(r.id)));
      expect(await page.locator('li.record.status-error').count()).toBe(held.filter((r) => r.status === 'error').length);
      // Live: a call made now joins the top, no reload.
      await mcp!.callTool({ name: 'everything__echo', arguments: { message: `live in ${theme}` } });
      await expect.poll(() => page.locator('li.record').count(), { timeout: 15_000 }).toBe(held.length + 1);
      const newest = (await audit())[0]!;
      expect(await page.locator('li.record').first().getAttribute('data-id')).toBe(String(newest.id));
      // The first echo's detail: the arguments redacted, the secret nowhere in the view.
      const first = held.filter((r) => r.tool_name === 'everything__echo').at(-1)!;
      const row = page.locator(`li.record[data-id="${String(first.id)}"]`);
      await row.locator('.record-line').click();
      expect(JSON.parse(await row.locator('pre.arguments').innerText())).toEqual({ message: 'rendered', api_key: '[REDACTED]' });
      const text = await page.locator('#app').innerText();
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('undefined');
      await page.screenshot({ path: shot(`audit-${theme}`), fullPage: true });
      await expectClean(view);
    });

    it.each(themes)('Approvals view (%s): a pending call with who, what and where; Approve lets it through', async (theme) => {
      const view = await openLive('approvals', approvalsProtocol, approvalsHandlers, theme);
      const { page } = view;
      await expect.poll(() => page.locator('.toolbar .connection').innerText(), { timeout: 15_000 }).toBe('0 pending');
      const call = mcp!.callTool({ name: 'everything__get-sum', arguments: { a: 40, b: 2 } }, { timeout: 60_000 });
      const card = page.locator('section.card.pending');
      await card.waitFor({ timeout: 15_000 });
      const pending = await waitFor(async () => ((await gw.api('GET', '/approvals?status=pending')).body as Array<{ id: string }>)[0], 10_000);
      expect(await card.getAttribute('data-approval')).toBe(pending.id);
      expect(await card.locator('.tool').innerText()).toBe('everything__get-sum');
      expect(await card.locator('.client .fact-value').innerText()).toBe('render-client');
      expect(await card.locator('.workspace .fact-value').innerText()).toBe('proj');
      expect(JSON.parse(await card.locator('pre.arguments').innerText())).toEqual({ a: 40, b: 2 });
      expect(await page.locator('.toolbar .connection').innerText()).toBe('1 pending');
      expect(await page.locator('#app').innerText()).not.toContain('undefined');
      // The waiting time counts on while the card waits (it stayed at its first value: a trial).
      const waited = async () => Number(/^waiting (\d+) s/.exec(await card.locator('.timing').innerText())?.[1] ?? NaN);
      const first = await waited();
      await expect.poll(waited, { timeout: 5_000 }).toBeGreaterThanOrEqual(first + 2);
      await page.screenshot({ path: shot(`approvals-${theme}`), fullPage: true });
      await expectClean(view);
      await card.locator('vscode-button.approve').click();
      expect(JSON.stringify(await call)).toContain('42');
      await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(0);
      await page.locator(`.history-row[data-approval="${pending.id}"]`).waitFor({ timeout: 15_000 });
      expect(await page.locator(`.history-row[data-approval="${pending.id}"]`).innerText()).toContain('approved by the dashboard');
      await expectClean(view);
    });
  });
});
