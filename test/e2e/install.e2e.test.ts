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
 * previous bytes, and the state is configured. Uninstall the same way (the diff first, then the
 * file back byte for byte), and a stale entry (the port and token it names are no longer the
 * daemon's) offered for Update, after which the file is exactly the preview. "Import Servers from
 * Client…" brings a server from Cursor's own config behind the gateway, its env value never shown
 * and never in clear in config.json.
 */
const FIXTURE = path.resolve(__dirname, '../fixtures/clients/cursor/comments.json');
const PLACEHOLDER = 'Choose an MCP client (its state is beside its name)';
const IMPORT_CLIENTS = 'Choose the client whose MCP servers to bring behind MCPlexer';
const IMPORT_ENTRIES = 'Pick the servers to import (secrets stored encrypted)';
const MEMORY = path.resolve(__dirname, '../../node_modules/@modelcontextprotocol/server-memory/dist/index.js');

const dialogOf = (page: Page) => page.locator('.monaco-dialog-box');

/** Waits for the modal confirmation whose text contains `question`, and for the diff editor tab named `tab` behind it. */
async function confirmationAfterDiff(page: Page, question: string, tab: string): Promise<void> {
  await waitFor(
    `the dialog "${question}"`,
    async () =>
      (await dialogOf(page)
        .isVisible()
        .catch(() => false)) && (await dialogOf(page).innerText()).includes(question)
        ? true
        : undefined,
    20_000,
    200,
  );
  await waitFor(`the diff editor tab "${tab}"`, async () => ((await page.locator('.tab', { hasText: tab }).count()) > 0 ? true : undefined), 10_000, 200);
}

/** The text of the visible diff editor's side (`original` or `modified`), as far as it is rendered. */
const diffSide = (page: Page, side: 'original' | 'modified') =>
  page.locator(`.monaco-diff-editor .editor.${side} .view-lines`).filter({ visible: true }).first().innerText();

/** Waits until the visible diff editor's sides hold what `check` wants (an earlier diff may still be on screen for a moment). */
async function waitForDiff(page: Page, what: string, check: (original: string, modified: string) => boolean): Promise<void> {
  await waitFor(
    `the diff editor showing ${what}`,
    async () => {
      const [original, modified] = await Promise.all([diffSide(page, 'original'), diffSide(page, 'modified')]).catch(() => ['', '']);
      return check(original, modified) ? true : undefined;
    },
    10_000,
    200,
  );
}

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
    const dialog = dialogOf(page);
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
    // The diff was shown for the question: it goes with the answer.
    await waitFor(
      'the diff tab closed',
      async () => ((await page.locator('.tab', { hasText: 'after install' }).count()) === 0 ? true : undefined),
      10_000,
      200,
    );
    expect(readFileSync(cursorFile, 'utf8')).toBe(preview.body.content);
    expect(readFileSync(`${cursorFile}.bak`)).toEqual(original);
    expect(existsSync(cursorFile)).toBe(true);
    const after = await daemon.api('GET', '/mcp-install/status');
    expect(after.body.clients.find((c: { id: string }) => c.id === 'cursor')).toMatchObject({ configured: true, stale: false });
  });
  it('uninstalls from Cursor the same way: the diff first, nothing written before the answer, then the file as it was', async () => {
    const cursorFile = path.join(server.home, '.cursor', 'mcp.json');
    const original = readFileSync(FIXTURE);
    const installed = readFileSync(cursorFile);
    expect(installed.toString('utf8')).toContain('"mcplexer"');

    await commandToPick(page, 'MCPlexer: Install into Client…', PLACEHOLDER);
    const rows = await quickPickRows(page);
    expect(rows.find((text) => text.startsWith('Cursor'))).toMatch(/configured/);
    expect(rows.find((text) => text.startsWith('Cursor'))).not.toMatch(/not configured/);
    // Configured and fresh: uninstall is the one action, so the diff comes at once.
    await pickRow(page, new RegExp(PLACEHOLDER.replace(/[()]/g, '\\$&')), /^Cursor/);
    await confirmationAfterDiff(page, 'Uninstall MCPlexer in Cursor?', 'after uninstall');
    await waitForDiff(page, 'the entry on the left only', (original, modified) => original.includes('mcplexer') && !modified.includes('mcplexer'));
    expect(readFileSync(cursorFile)).toEqual(installed);
    const preview = await daemon.api('GET', '/mcp-install/cursor/preview?action=uninstall');
    expect(preview.body.content).toBe(original.toString('utf8'));
    await screenshot(page, 'uninstall-diff-first');

    await dialogOf(page)
      .locator('.monaco-button', { hasText: /^Uninstall$/ })
      .click();
    await waitForNotification(page, 'removed from Cursor', 20_000);
    expect(readFileSync(cursorFile)).toEqual(original);
    // Uninstall writes no .bak: it still holds the file from before install (no token in it).
    expect(readFileSync(`${cursorFile}.bak`)).toEqual(original);
    const after = await daemon.api('GET', '/mcp-install/status');
    expect(after.body.clients.find((c: { id: string }) => c.id === 'cursor')).toMatchObject({ configured: false, stale: false });
  });

  it("offers the update of a stale entry (its port and token are not the daemon's): the diff first, then the file is the preview", async () => {
    const claudeFile = path.join(server.home, '.claude.json');
    const { port } = daemon.lock()!;
    // The entry as an earlier gateway wrote it (another port, another token), beside what Claude Code keeps itself.
    const staleEntry = { type: 'http', url: `http://127.0.0.1:${port + 1}/mcp`, headers: { Authorization: 'Bearer token-of-an-earlier-gateway' } };
    const stale =
      JSON.stringify({ numStartups: 3, mcpServers: { memory: { command: 'npx', args: ['-y', 'server-memory'] }, mcplexer: staleEntry } }, null, 2) + '\n';
    writeFileSync(claudeFile, stale);
    const status = await daemon.api('GET', '/mcp-install/status');
    expect(status.body.clients.find((c: { id: string }) => c.id === 'claude_code')).toMatchObject({ configured: true, stale: true });

    await commandToPick(page, 'MCPlexer: Install into Client…', PLACEHOLDER);
    expect((await quickPickRows(page)).find((text) => text.startsWith('Claude Code'))).toContain('stale: update available');
    await pickRow(page, new RegExp(PLACEHOLDER.replace(/[()]/g, '\\$&')), /^Claude Code/);
    // Stale: the command offers Update (and Uninstall).
    const actions = /What to do with the mcplexer entry of Claude Code/;
    await waitFor(
      'the action pick',
      async () => (actions.test((await page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) ?? '') ? true : undefined),
      10_000,
      100,
    );
    expect((await quickPickRows(page)).map((text) => text.trim())).toEqual(['Update', 'Uninstall']);
    await pickRow(page, actions, /^Update/);
    await confirmationAfterDiff(page, 'Update MCPlexer in Claude Code?', 'after update');
    await waitForDiff(
      page,
      "the old port on the left, the daemon's on the right",
      (original, modified) => original.includes(`127.0.0.1:${port + 1}/mcp`) && modified.includes(`127.0.0.1:${port}/mcp`),
    );
    expect(readFileSync(claudeFile, 'utf8')).toBe(stale);
    const preview = await daemon.api('GET', '/mcp-install/claude_code/preview');
    await screenshot(page, 'update-diff-first');

    await dialogOf(page)
      .locator('.monaco-button', { hasText: /^Update$/ })
      .click();
    await waitForNotification(page, 'updated in Claude Code', 20_000);
    const written = readFileSync(claudeFile, 'utf8');
    expect(written).toBe(preview.body.content);
    expect(JSON.parse(written)).toEqual({
      numStartups: 3,
      mcpServers: {
        memory: { command: 'npx', args: ['-y', 'server-memory'] },
        mcplexer: { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: `Bearer ${daemon.token()}` } },
      },
    });
    // An update of an entry of ours writes no .bak (it keeps the file from before MCPlexer, and this one had our entry).
    expect(existsSync(`${claudeFile}.bak`)).toBe(false);
    const after = await daemon.api('GET', '/mcp-install/status');
    expect(after.body.clients.find((c: { id: string }) => c.id === 'claude_code')).toMatchObject({ configured: true, stale: false });
  });

  it('imports a server from Cursor’s own config: the entries in a multi-select pick, then the server is MCPlexer’s, its env encrypted', async () => {
    const cursorFile = path.join(server.home, '.cursor', 'mcp.json');
    const memoryFile = path.join(extraDirs, 'notes.jsonl');
    const secret = 'e2e-import-secret-Zq81Tm';
    writeFileSync(
      cursorFile,
      JSON.stringify(
        { mcpServers: { notes: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: memoryFile, NOTES_API_KEY: secret } } } },
        null,
        2,
      ) + '\n',
    );
    await commandToPick(page, 'MCPlexer: Import Servers from Client…', IMPORT_CLIENTS);
    await pickRow(page, new RegExp(IMPORT_CLIENTS), /^Cursor/);
    await waitFor(
      'the pick of Cursor’s servers',
      async () => ((await page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) === IMPORT_ENTRIES ? true : undefined),
      10_000,
      100,
    );
    const rows = await quickPickRows(page);
    expect(rows.find((text) => text.startsWith('notes'))).toContain('as notes__<tool>');
    expect(rows.join('\n')).not.toContain(secret);
    await screenshot(page, 'import-pick');
    await page.keyboard.press('Enter'); // the new entries come picked: OK imports them
    await waitForNotification(page, 'Imported 1 server from Cursor', 30_000);
    const servers = await daemon.api('GET', '/downstreams');
    expect(servers.body.map((s: { namespace: string }) => s.namespace)).toContain('notes');
    expect(JSON.stringify(servers.body)).not.toContain(secret);
    expect(readFileSync(path.join(daemon.dataDir, 'config.json'), 'utf8')).not.toContain(secret);
  });
});
