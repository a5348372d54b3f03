import { beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter, fake, resetFake, TabInputTextDiff, type Uri } from '../../fakes/vscode.js';
import { registerInstallCommands } from '../../../src/extension/install-client.js';

/**
 * "Install into Client…" shows the change in a diff editor before asking; the diff tab stayed open
 * after the answer (noticed in an earlier trial), one more per install. It now goes with the
 * answer, whichever it was, and a tab the user opened besides it stays. The gateway's install
 * endpoints are stood in for; `vscode.diff` opens a tab as VS Code does.
 */
beforeEach(() => resetFake());

function setUp() {
  const installed: string[] = [];
  const client = {
    installStatus: async () => ({
      clients: [{ id: 'cursor', name: 'Cursor', config_path: '/home/u/.cursor/mcp.json', detected: true, configured: false, stale: false }],
    }),
    installPreview: async () => ({ config_path: '/home/u/.cursor/mcp.json', content: '{"mcpServers":{"mcplexer":{}}}\n' }),
    installClient: async (id: string) => (installed.push(id), { id, configured: true }),
  };
  const connection = { onDidChangeState: new EventEmitter<string>().event, client, url: 'http://127.0.0.1:1', lock: undefined };
  const disposables = registerInstallCommands({ connection, log: { info: () => undefined, warn: () => undefined } } as never);
  fake.commands.set('vscode.diff', (left: unknown, right: unknown, label: unknown) => {
    fake.tabs.push({ label: String(label), input: new TabInputTextDiff(left as Uri, right as Uri) });
  });
  fake.tabs.push({ label: 'notes.md', input: { uri: 'file:///notes.md' } });
  fake.answers.quickPick = (items) => items[0];
  return { installed, run: () => fake.commands.get('mcplexer.installClient')!(), dispose: () => disposables.forEach((d) => d.dispose()) };
}

describe('the install diff tab', () => {
  it.each([
    ['Install', ['cursor']],
    [undefined, []],
  ] as const)('closes with the answer (%s), and the user’s other tab stays', async (answer, installed) => {
    const t = setUp();
    fake.answers.message = answer;
    await t.run();
    expect(fake.calls).toContain('execute:vscode.diff');
    expect(t.installed).toEqual(installed);
    expect(fake.tabs.map((tab) => tab.label)).toEqual(['notes.md']);
    t.dispose();
  });
});
