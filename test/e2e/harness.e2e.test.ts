import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EAGER_ACTIVATED,
  openWorkbench,
  packageExtension,
  processesInGroup,
  processesWithEnv,
  readExtHostLog,
  ROOT,
  RUN_MARKER,
  runCommand,
  screenshot,
  startCodeServer,
  waitForActivation,
  waitForNotification,
  webviewFrame,
  type CodeServer,
  type Workbench,
} from './harness';

/**
 * Proves the harness against real VS Code (code-server) with a tiny fixture extension: the .vsix
 * installs and activates, the workbench shows its status bar item, a palette command runs and its
 * notification appears, its webview view's document is reachable, a screenshot is written, and
 * stop() leaves no code-server, extension host or detached child process behind.
 */
const FIXTURE = path.join(ROOT, 'test', 'e2e', 'fixture-extension');

describe('e2e harness on code-server with the fixture extension', () => {
  let server: CodeServer;
  let workbench: Workbench | undefined;

  beforeAll(async () => {
    const vsix = await packageExtension(FIXTURE);
    server = await startCodeServer({ extensions: [vsix], settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    workbench = await openWorkbench(server, server.folders[0]!);
  });

  afterAll(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('installs the .vsix into the run’s own extensions dir and activates it', async () => {
    expect(existsSync(path.join(server.extensionsDir, 'mcplexer-e2e.e2e-fixture-0.0.1', 'extension.js'))).toBe(true);
    expect(server.extensionsDir.startsWith(server.baseDir)).toBe(true);
    await waitForActivation(server, 'mcplexer-e2e.e2e-fixture');
    const log = readExtHostLog(server);
    expect(log).toContain(EAGER_ACTIVATED);
    expect(log).not.toMatch(/Activating extension .?mcplexer-e2e\.e2e-fixture.? failed/);
  });

  it('sees the fixture’s status bar item', async () => {
    const statusBar = workbench!.page.locator('#workbench\\.parts\\.statusbar');
    await expect.poll(() => statusBar.innerText(), { timeout: 15_000 }).toContain('E2E Fixture Ready');
  });

  it('runs a palette command and sees its notification', async () => {
    await runCommand(workbench!.page, 'E2E Fixture: Say Hello');
    expect(await waitForNotification(workbench!.page, 'Hello from the E2E fixture')).toBe('Hello from the E2E fixture');
  });

  it('reaches the document of a webview view', async () => {
    await runCommand(workbench!.page, 'Explorer: Focus on E2E Fixture View View');
    const frame = await webviewFrame(workbench!.page, 'E2E Fixture View');
    expect(await frame.locator('#greeting').innerText()).toBe('Fixture webview says hi');
  });

  it('writes a screenshot of the workbench', async () => {
    const file = await screenshot(workbench!.page, 'harness-fixture');
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000); // a blank page compresses to a few KB
  });

  it('stop() leaves no code-server, extension host or detached child behind', async () => {
    const before = processesWithEnv(RUN_MARKER, server.marker);
    expect(before.some((p) => p.pid === server.pid)).toBe(true);
    expect(before.some((p) => p.cmdline.includes('--type=extensionHost') && p.pgid === server.pid)).toBe(true);
    // The fixture's detached child has its own process group, as the gateway daemon will.
    expect(before.some((p) => p.cmdline.includes('e2e-fixture-detached-child') && p.pgid !== server.pid)).toBe(true);

    // Stopped while the window is still connected: its extension host is alive until the group is killed.
    await server.stop();
    await workbench!.close();
    workbench = undefined;

    expect(processesWithEnv(RUN_MARKER, server.marker)).toEqual([]);
    expect(processesInGroup(server.pid)).toEqual([]);
    expect(existsSync(server.baseDir)).toBe(process.env.MCPLEXER_E2E_KEEP === '1');
  });
});
