/**
 * A daemon that ends without a stop (kill -9) is announced with Restart Gateway; a stop is not.
 * A robustness trial saw only the status bar change while Copilot lost its gateway. A real daemon
 * (`dist/cli.js serve`), the window's real connection, the fake vscode for the notification.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { window } from 'vscode';
import type * as vscode from 'vscode';
import { noticeCrashes } from '../../../src/extension/crash-notice.js';
import { DaemonConnection } from '../../../src/extension/gateway-connection.js';
import { locateGateway } from '../../../src/shared/node/index.js';
import { fake, resetFake } from '../../fakes/vscode.js';

const CLI = path.resolve('dist/cli.js');
let daemon: ChildProcess | undefined;
let connection: DaemonConnection | undefined;

async function attachedToNewDaemon(): Promise<DaemonConnection> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-crash-'));
  daemon = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--home', dataDir], { stdio: 'ignore', env: { ...process.env, MCPLEXER_HOME: dataDir } });
  const deadline = Date.now() + 15_000;
  while (!(await locateGateway({ dataDir })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const log = window.createOutputChannel('t') as unknown as vscode.LogOutputChannel;
  connection = new DaemonConnection({
    dataDir,
    folders: () => [],
    log,
    attach: async () => ({ ...(await locateGateway({ dataDir }))!, started: false }),
  });
  noticeCrashes(connection);
  await connection.start();
  expect(connection.state).toBe('ready');
  return connection;
}

const until = async (check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return check();
};

beforeEach(() => resetFake());
afterEach(() => {
  connection?.dispose();
  daemon?.kill('SIGKILL');
});

describe('a daemon that ends without a stop', () => {
  it('kill -9: a warning names it and offers Restart Gateway', async () => {
    const c = await attachedToNewDaemon();
    daemon!.kill('SIGKILL');
    expect(await until(() => c.state === 'error')).toBe(true);
    expect(c.crashed).toBe(true);
    expect(fake.messages).toEqual([
      {
        level: 'warning',
        text: expect.stringMatching(/^MCPlexer: the gateway \(pid \d+\) ended without releasing its lock: it crashed or was killed\. Copilot/),
      },
    ]);
  });

  it('a stop (SIGTERM releases the lock): the state changes, no warning', async () => {
    const c = await attachedToNewDaemon();
    daemon!.kill('SIGTERM');
    expect(await until(() => c.state === 'error')).toBe(true);
    expect(c.crashed).toBe(false);
    expect(fake.messages).toEqual([]);
  });
});
