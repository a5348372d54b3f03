import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter, fake, resetFake } from '../../fakes/vscode.js';
import { GatewayStatusBar } from '../../../src/extension/status-bar.js';
import { startTestGateway, waitFor, type TestGateway } from '../../helpers/gateway.js';

/**
 * A hand edit of config.json that the gateway refused is shown in the editor (a new user's trial:
 * saved with a typo, nothing said so, and the next write through the API replaced it): the status
 * bar item warns and opens config.json, and one warning per error offers to open it. Against a real
 * gateway, whose health reports `config_error`.
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());
beforeEach(() => resetFake());

function bar() {
  const connection = {
    state: 'ready' as const,
    lock: { pid: 1, port: t.gw.port, version: 'test', startedAt: '' },
    problem: undefined,
    url: t.url,
    client: t.client,
    onDidChangeState: new EventEmitter<unknown>().event,
    onEvent: new EventEmitter<{ type: string }>().event,
  };
  return new GatewayStatusBar(connection as never, t.home);
}
const item = () => fake.statusBarItems.at(-1)! as { text: string; tooltip: string; command: unknown };

describe('the status bar and a refused config.json', () => {
  it('warns once, names the error, and opens config.json; once the file is good again, the warning goes', async () => {
    const good = t.configText();
    const status = bar();
    try {
      writeFileSync(t.configPath, good.replace('"workspaces"', '"workspaces" oops'));
      await waitFor(async () => (await t.api('GET', '/health')).body.status === 'degraded');
      status.update(true);
      await waitFor(() => item().text.includes('config.json not applied'));
      expect(item().tooltip).toMatch(/config\.json was not applied \(the last good config runs\): not valid JSON/);
      expect(item().command).toMatchObject({ command: 'vscode.open', arguments: [expect.objectContaining({ fsPath: `${t.home}/config.json` })] });
      await waitFor(() => fake.messages.length > 0);
      expect(fake.messages).toEqual([
        expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^MCPlexer: config\.json was not applied: not valid JSON/) }),
      ]);
      // The same error again: no second warning.
      status.update(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fake.messages).toHaveLength(1);
      writeFileSync(t.configPath, good);
      await waitFor(async () => (await t.api('GET', '/health')).body.status === 'ok');
      status.update(true);
      await waitFor(() => !item().text.includes('config.json not applied'));
      expect(item().command).toBe('workbench.view.extension.mcplexer');
    } finally {
      status.dispose();
    }
  });
});
