import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { EVERYTHING } from '../fixtures/downstream-servers';
import { findFiles } from './harness/logs';
import { commandToPick, pickRow } from './harness/mcplexer';
import {
  openWorkbench,
  processesWithEnv,
  readExtHostLog,
  ROOT,
  RUN_MARKER,
  runCommand,
  screenshot,
  startCodeServer,
  waitFor,
  waitForActivation,
  waitForNotification,
  type CodeServer,
  type Workbench,
} from './harness';

/**
 * The real extension in real VS Code (code-server 4.103.2 = VS Code 1.103.2): `npm run package`'s
 * .vsix installs and activates; the daemon it starts answers health through the lock in the
 * isolated HOME's data dir and holds the window's folder as a workspace; the status bar shows it;
 * Copy MCP Endpoint runs from the palette; `MCP: List Servers` lists the provider's server; killing
 * the daemon turns the status bar to its error state, and Restart Gateway brings the daemon back;
 * after another kill, a daemon started from outside on the same home is attached with no command.
 */
const EXTENSION_ID = 'mcplexer.mcplexer';

describe('the MCPlexer extension in code-server', () => {
  let server: CodeServer;
  let workbench: Workbench | undefined;
  let page: Page;
  let dataDir: string;

  const lock = () => {
    const file = path.join(dataDir, 'gateway.lock');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; port: number; version: string }) : undefined;
  };
  const api = async (port: number, route: string) => {
    const token = readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
    const response = await fetch(`http://127.0.0.1:${port}/api/v1${route}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
  };
  const statusBar = () => page.locator('#workbench\\.parts\\.statusbar').innerText();
  const extensionLog = () =>
    findFiles(server.logsDir, 'MCPlexer.log')
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
  /** Waits for a healthy daemon other than `notPid`; returns its lock. */
  const healthyDaemon = (notPid?: number) =>
    waitFor(
      'a gateway daemon answering health through the lock',
      async () => {
        const held = lock();
        if (!held || held.pid === notPid) return undefined;
        const health = await api(held.port, '/health').catch(() => undefined);
        return health?.status === 200 && health.body.status === 'ok' ? held : undefined;
      },
      30_000,
      250,
    );

  /**
   * Runs a palette command that opens a quick pick of its own: not runCommand, which waits for the
   * palette to hide and would race with that pick replacing it. Resolves once `placeholder` shows.
   */
  beforeAll(async () => {
    // The .vsix a user gets: `npm run package` (esbuild, then vsce 3.9.2 with .vscodeignore).
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'package-vsix.mjs')], { cwd: ROOT, timeout: 120_000 });
    const vsix = path.join(ROOT, 'mcplexer-0.1.0.vsix');
    server = await startCodeServer({ extensions: [vsix], settings: { 'workbench.colorTheme': 'Default Dark Modern', 'chat.disableAIFeatures': false } });
    dataDir = path.join(server.home, '.mcplexer');
    workbench = await openWorkbench(server, server.folders[0]!);
    page = workbench.page;
  });

  afterAll(async () => {
    if (server && process.env.MCPLEXER_E2E_KEEP === '1') console.log(`kept ${server.baseDir}; extension log:\n${extensionLog()}`);
    await workbench?.close();
    await server?.stop();
  });

  it('installs the .vsix and activates', async () => {
    expect(existsSync(path.join(server.extensionsDir, 'mcplexer.mcplexer-0.1.0', 'dist', 'extension.js'))).toBe(true);
    expect(existsSync(path.join(server.extensionsDir, 'mcplexer.mcplexer-0.1.0', 'node_modules'))).toBe(false);
    await waitForActivation(server, EXTENSION_ID);
    expect(readExtHostLog(server)).not.toMatch(/Activating extension .?mcplexer\.mcplexer.? failed/);
  });

  it('writes no error of its own to the extension host log once it runs (zod probed `navigator`, which Node 20 in VS Code reports as an error)', async () => {
    await healthyDaemon();
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the views' and the folders' first answers are parsed
    expect(readExtHostLog(server)).not.toMatch(/PendingMigrationError|navigator is now a global/);
  });

  it('starts the daemon, which answers health through the lock in the data dir and holds the folder as a workspace', async () => {
    const held = await healthyDaemon();
    expect(held.version).toBe('0.1.0');
    // Started detached by the window with VS Code's runtime, marked as part of this run.
    const daemon = processesWithEnv(RUN_MARKER, server.marker).find((p) => p.pid === held.pid);
    expect(daemon?.cmdline).toContain(path.join('mcplexer.mcplexer-0.1.0', 'dist', 'cli.js'));
    expect(daemon?.cmdline).toContain('--exit-when-idle');
    const workspaces = await waitFor(
      'the folder’s workspace',
      async () => {
        const list = (await api(held.port, '/workspaces')).body;
        return list.some((w) => w.root_path === server.folders[0]) ? list : undefined;
      },
      15_000,
      250,
    );
    expect(workspaces.find((w) => w.root_path === server.folders[0])).toMatchObject({ name: 'project', default_policy: 'allow' });
    // The stdio bridge sits at a stable path under the data dir.
    await waitFor('the stable bridge copy', () => (existsSync(path.join(dataDir, 'bin', 'mcplexer-cli.js')) ? true : undefined), 10_000);
    expect(readFileSync(path.join(dataDir, 'bin', 'mcplexer-cli.js')).equals(readFileSync(path.join(ROOT, 'dist', 'cli.js')))).toBe(true);
    // With the bundle that cli.js runs from beside itself.
    expect(readFileSync(path.join(dataDir, 'bin', 'cli-bundle.js')).equals(readFileSync(path.join(ROOT, 'dist', 'cli-bundle.js')))).toBe(true);
  });

  it('shows the gateway and its port in the status bar', async () => {
    const held = lock()!;
    await expect.poll(statusBar, { timeout: 15_000 }).toContain(`MCPlexer :${held.port}`);
    await screenshot(page, 'extension-status-bar');
  });

  it('Get Started opens the walkthrough, even on a new profile’s first Welcome page; its first step’s button runs Add Server…', async () => {
    // A new profile's first Welcome page shows VS Code's own onboarding walkthrough instead (seen
    // in code-server: "Setup VS Code Web"): the command asks again, which selects ours.
    await runCommand(page, 'MCPlexer: Get Started');
    await page.getByText('Get started with MCPlexer').first().waitFor({ timeout: 15_000 });
    for (const title of ['Add an MCP server', 'Decide what this folder may call', 'Use the tools in Copilot', 'Use the same gateway from other clients']) {
      await page.getByText(title, { exact: true }).first().waitFor({ timeout: 10_000 });
    }
    await screenshot(page, 'extension-walkthrough');
    await page.getByRole('button', { name: 'Add Server…' }).first().click();
    const title = page.locator('.quick-input-widget .quick-input-title');
    await expect.poll(() => title.innerText().catch(() => ''), { timeout: 10_000 }).toBe('MCPlexer: Add Server (1/3)');
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
  });

  it('runs Copy MCP Endpoint from the palette', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await commandToPick(page, 'MCPlexer: Copy MCP Endpoint', 'What to copy');
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name');
    await expect.poll(() => rows.allInnerTexts(), { timeout: 10_000 }).toEqual(['HTTP endpoint', 'stdio bridge command']);
    await screenshot(page, 'extension-copy-endpoint');
    await page.keyboard.press('Enter');
    expect(await waitForNotification(page, 'MCPlexer: copied the HTTP endpoint')).toContain('copied');
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe(
      `URL: http://127.0.0.1:${lock()!.port}/mcp\nHeader: Authorization: Bearer ${readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim()}`,
    );
  });

  it('MCP: List Servers lists the provider’s server', async () => {
    await commandToPick(page, 'MCP: List Servers', 'Select an MCP Server');
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await expect.poll(() => rows.allInnerTexts(), { timeout: 20_000 }).toEqual(expect.arrayContaining([expect.stringContaining('MCPlexer')]));
    await screenshot(page, 'extension-mcp-list-servers');
    await page.keyboard.press('Escape');
  });

  it('Start Server: VS Code connects with the token and the folder the provider resolved, and lists the gateway’s tools', async () => {
    // A real server behind the gateway, so VS Code has tools to discover.
    const held0 = lock()!;
    const token0 = readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
    const added = await fetch(`http://127.0.0.1:${held0.port}/api/v1/downstreams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token0}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Everything', command: process.execPath, args: [EVERYTHING, 'stdio'], namespace: 'everything' }),
    });
    expect(added.status).toBe(201);
    await commandToPick(page, 'MCP: List Servers', 'Select an MCP Server');
    await pickRow(page, /Select an MCP Server/, /^MCPlexer/);
    await pickRow(page, /./, /Start Server/);
    // VS Code's MCP output (in the browser's IndexedDB in code-server, so read from the panel) says how many tools it
    // discovered; Monaco renders its spaces as U+00A0, hence \s.
    const panel = page.locator('.part.panel');
    const discovered = await waitFor(
      'VS Code to report the tools it discovered',
      async () => /Discovered\s(\d+)\stools/.exec(await panel.innerText())?.[1],
      30_000,
      250,
    );
    // The same count the gateway lists for this folder to a client sending the token and the folder.
    const held = lock()!;
    const client = new Client({ name: 'e2e-check', version: '1.0.0' });
    const token = readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${held.port}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}`, 'x-mcplexer-workspace': server.folders[0]! } },
      }),
    );
    const listed = (await client.listTools()).tools.length;
    await client.close();
    expect(listed).toBeGreaterThan(10); // server-everything's tools, so the counts below are not 0 = 0
    expect(Number(discovered)).toBe(listed);
    await new Promise((r) => setTimeout(r, 500)); // the action pick closes before the palette opens again
    // Listed again, the server runs and reports the tools VS Code discovered through the gateway.
    await commandToPick(page, 'MCP: List Servers', 'Select an MCP Server');
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await expect.poll(async () => (await rows.allInnerTexts()).find((r) => r.includes('MCPlexer')), { timeout: 30_000 }).toMatch(/Running/);
    await screenshot(page, 'extension-mcp-server-running');
    await page.keyboard.press('Escape');
  });

  it('killing the daemon shows the error state; Restart Gateway brings it back', async () => {
    const before = lock()!;
    process.kill(before.pid, 'SIGKILL');
    await expect.poll(statusBar, { timeout: 20_000 }).toContain('MCPlexer: stopped');
    await screenshot(page, 'extension-gateway-stopped');
    await runCommand(page, 'MCPlexer: Restart Gateway');
    const after = await healthyDaemon(before.pid);
    expect(after.pid).not.toBe(before.pid);
    await expect.poll(statusBar, { timeout: 20_000 }).toContain(`MCPlexer :${after.port}`);
    expect(extensionLog()).toMatch(/ended without releasing its lock: it crashed or was killed/);
  });

  it('after a kill -9, a daemon started by someone else on the same home is attached by itself, with no command', async () => {
    const before = lock()!;
    process.kill(before.pid, 'SIGKILL');
    await expect.poll(statusBar, { timeout: 20_000 }).toContain('MCPlexer: stopped');
    // Another client's bridge or a terminal starts the daemon: same data dir, a new port. The run's
    // marker in its environment lets the harness end it with the rest.
    const outside = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'serve', '--port', '0', '--home', dataDir], {
      env: { ...process.env, HOME: server.home, MCPLEXER_HOME: dataDir, [RUN_MARKER]: server.marker },
      stdio: 'ignore',
      detached: true,
    });
    outside.unref();
    const after = await healthyDaemon(before.pid);
    expect(after.pid).toBe(outside.pid);
    // The extension's 5 s check finds the lock's new daemon and attaches: no Restart Gateway.
    await expect.poll(statusBar, { timeout: 30_000 }).toContain(`MCPlexer :${after.port}`);
    await screenshot(page, 'extension-gateway-reattached');
  });
});
