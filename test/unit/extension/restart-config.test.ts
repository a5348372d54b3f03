/**
 * Restart Gateway while config.json holds a refused hand edit: the confirmation says the new
 * gateway would not start, and a start that fails on config.json offers to open it (a trial lost
 * the gateway that way, offered only Show Gateway Logs). A real gateway with a broken file; the
 * fake vscode for the dialogs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { registerCommands } from '../../../src/extension/commands.js';
import type { DaemonConnection } from '../../../src/extension/gateway-connection.js';
import { fake, resetFake } from '../../fakes/vscode.js';
import { startTestGateway, waitFor, type TestGateway } from '../../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  writeFileSync(t.configPath, '{ "schema_version": 2, "workspaces": [ oops');
  await waitFor(async () => (await t.client.health()).config_error !== undefined);
});
afterAll(async () => t?.close());
beforeEach(() => resetFake());

function connectionOf(state: 'ready' | 'error', problem: string) {
  return {
    state,
    client: t.client,
    url: t.url,
    problem: undefined as string | undefined,
    onDidChangeState: () => ({ dispose() {} }),
    onEvent: () => ({ dispose() {} }),
    async restart() {
      this.state = 'error';
      this.problem = problem;
    },
  };
}
const log = { error: () => undefined, info: () => undefined, warn: () => undefined, show: () => undefined } as unknown as vscode.LogOutputChannel;

describe('Restart Gateway with a refused config.json', () => {
  it('the confirmation says the new gateway would not start until the file is fixed', async () => {
    registerCommands({ connection: connectionOf('ready', '') as unknown as DaemonConnection, dataDir: t.home, log });
    await vscode.commands.executeCommand('mcplexer.restartGateway'); // declined: no answer
    expect(fake.messages).toEqual([
      {
        level: 'warning',
        text: expect.stringMatching(
          /config\.json holds an edit the gateway refused \(not valid JSON at line 1, .*\): a new gateway will not start until it is fixed\.$/,
        ),
      },
    ]);
  });

  it('a start that fails on config.json offers Open config.json, which opens it', async () => {
    const problem = `the MCPlexer gateway exited (code 1) before it answered: ${path.join(t.home, 'config.json')} is not valid JSON at line 1, column 40`;
    registerCommands({ connection: connectionOf('error', problem) as unknown as DaemonConnection, dataDir: t.home, log });
    fake.answers.message = 'Open config.json';
    await vscode.commands.executeCommand('mcplexer.restartGateway');
    expect(fake.messages).toEqual([{ level: 'error', text: `MCPlexer could not start the gateway: ${problem}` }]);
    expect(fake.calls).toContain('execute:vscode.open');
  });
});
