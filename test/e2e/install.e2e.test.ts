import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench, screenshot, startCodeServer, waitFor, waitForActivation, waitForNotification } from './harness';
import type { CodeServer, Workbench } from './harness';
import { commandToPick, daemonOf, EXTENSION_ID, packageMcplexer, pickRow, quickPickRows, type Daemon } from './harness/mcplexer';

/**
 * "MCPlexer: Install into Client…" in real VS Code (code-server 4.103.2) with the .vsix installed,
 * HOME, APPDATA, XDG_CONFIG_HOME and CODEX_HOME in the run's temp dir: the quick pick lists the
 * detected clients first with their state (not configured, stale, not detected); choosing Cursor
 * opens the diff editor of its mcp.json against the preview first, with nothing written until the
 * modal's Install is clicked; then the file holds the entry the gateway previewed, `.bak` the
 * previous bytes, and the state is configured.
 */
const FIXTURE = path.resolve(__dirname, '../fixtures/clients/cursor/comments.json');
const PLACEHOLDER = 'Choose an MCP client (its state is beside its name)';

describe('MCPlexer: Install into Client… in code-server', () => {
  let server: CodeServer;
  let workbench: Workbench | undefined;
  let page: Page;
  let daemon: Daemon;
  let extraDirs: string;

  beforeAll(async () => {
    const vsix = await packageMcplexer();
    extraDirs = mkdtempSync(path.join(tmpdir(), 'mcplexer-e2e-install-'));
    server = await startCodeServer({
      extensions: [vsix],
      env: { APPDATA: path.join(extraDirs, 'appdata'), CODEX_HOME: path.join(extraDirs, 'codex') },
    });
    daemon = daemonOf(server);
    workbench = await openWorkbench(server, server.folders[0]!);
    page = workbench.page;
    await waitForActivation(server, EXTENSION_ID);
    await daemon.healthy();
  });
  afterAll(async () => {
    if (page) await screenshot(page, 'install-end').catch(() => undefined);
    await workbench?.close();
    await server?.stop();
    rmSync(extraDirs, { recursive: true, force: true });
  });

  it('lists the clients with their state, shows the diff first, and installs on confirmation', async () => {
    // Cursor: detected, not configured (a hand-kept file with comments). Claude Code: an entry with an old token (stale).
    const cursorFile = path.join(server.home, '.cursor', 'mcp.json');
    mkdirSync(path.dirname(cursorFile), { recursive: true });
    copyFileSync(FIXTURE, cursorFile);
    const original = readFileSync(cursorFile);
    mkdirSync(path.join(server.home, '.claude'), { recursive: true });
    const port = daemon.lock()!.port;
    writeFileSync(
      path.join(server.home, '.claude.json'),
      JSON.stringify(
        { mcpServers: { mcplexer: { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: 'Bearer old-token' } } } },
        null,
        2,
      ) + '\n',
    );
    const status = await daemon.api('GET', '/mcp-install/status');
    expect(status.body.clients.find((c: { id: string }) => c.id === 'claude_code')).toMatchObject({ detected: true, stale: true });

    await commandToPick(page, 'MCPlexer: Install into Client…', PLACEHOLDER);
    const rows = await quickPickRows(page);
    const row = (name: string) => rows.find((text) => text.startsWith(name)) ?? '';
    expect(row('Cursor')).toContain('not configured');
    expect(row('Claude Code')).toContain('stale');
    expect(row('Windsurf')).toContain('not detected');
    // Detected clients come first.
    expect(rows.findIndex((text) => text.startsWith('Cursor'))).toBeLessThan(rows.findIndex((text) => text.startsWith('Windsurf')));

    await pickRow(page, new RegExp(PLACEHOLDER.replace(/[()]/g, '\\$&')), /^Cursor/);
    // The diff editor first, and the modal asking; nothing written yet.
    const dialog = page.locator('.monaco-dialog-box');
    await waitFor('the confirmation dialog', async () => ((await dialog.isVisible().catch(() => false)) ? true : undefined), 20_000, 200);
    expect(await dialog.innerText()).toContain('Install MCPlexer in Cursor?');
    await waitFor('the diff editor tab', async () => ((await page.locator('.tab', { hasText: 'after install' }).count()) > 0 ? true : undefined), 10_000, 200);
    expect(await page.locator('.monaco-diff-editor').count()).toBeGreaterThan(0);
    expect(await page.locator('.monaco-diff-editor .editor.modified .view-lines').first().innerText()).toContain('mcplexer');
    expect(readFileSync(cursorFile)).toEqual(original);
    await screenshot(page, 'install-diff-first');
    const preview = await daemon.api('GET', '/mcp-install/cursor/preview');

    await dialog.locator('.monaco-button', { hasText: /^Install$/ }).click();
    await waitForNotification(page, 'installed in Cursor', 20_000);
    expect(readFileSync(cursorFile, 'utf8')).toBe(preview.body.content);
    expect(readFileSync(`${cursorFile}.bak`)).toEqual(original);
    expect(existsSync(cursorFile)).toBe(true);
    const after = await daemon.api('GET', '/mcp-install/status');
    expect(after.body.clients.find((c: { id: string }) => c.id === 'cursor')).toMatchObject({ configured: true, stale: false });
  });
});
