import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as vscode from 'vscode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToolBudget, WINDOW_SET_KEY } from '../../../src/extension/budget-prompt.js';
import { DaemonConnection } from '../../../src/extension/gateway-connection.js';
import { registerMcpProvider } from '../../../src/extension/mcp-provider.js';
import { BUILTIN_SERVER_ID } from '../../../src/extension/tool-budget.js';
import { fake, resetFake, window } from '../../fakes/vscode.js';
import { fakeContext } from './context.js';

const servers = (sizes: Record<string, number>) => ({
  workspace_ids: ['ws'],
  servers: Object.entries(sizes).map(([id, n]) => ({ server_id: id, name: id, namespace: id, tools_visible: n, reason: 'visible' })),
});

let visibility = servers({});
let disposables: Array<{ dispose(): unknown }> = [];

async function readyProvider(folders: string[]) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-provider-'));
  const log = window.createOutputChannel('t') as unknown as vscode.LogOutputChannel;
  const connection = new DaemonConnection({
    dataDir,
    folders: () => folders,
    log,
    attach: async () => ({ url: 'http://127.0.0.1:9', token: 'tok', lock: { pid: process.pid, port: 9, version: '0.1.0', startedAt: '' }, started: false }),
  });
  const context = fakeContext();
  const budget = new ToolBudget(connection, context.workspaceState, () => 128, log);
  const registration = registerMcpProvider(connection, budget, () => true, log)!;
  disposables.push(connection, budget, registration, context);
  await connection.start();
  const provider = fake.mcpProviders.get('mcplexer') as vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition>;
  return { provider, context, budget };
}

beforeEach(() => {
  resetFake();
  vi.stubGlobal('fetch', async (url: string) => {
    if (url.includes('/api/v1/visibility')) return new Response(JSON.stringify(visibility), { status: 200 });
    return new Response('{}', { status: 404 }); // the event stream: it retries, the test does not need it
  });
});
afterEach(() => {
  disposables.forEach((d) => d.dispose());
  disposables = [];
  vi.unstubAllGlobals();
});

const token = {} as vscode.CancellationToken;

describe('the MCP server definition of the window', () => {
  it('points at <url>/mcp and resolves with the token and the window’s folders', async () => {
    visibility = servers({ [BUILTIN_SERVER_ID]: 3, a: 10 });
    for (const [folders, header] of [
      [['/w/one'], '/w/one'],
      [['/w/one', '/w/two'], '["/w/one","/w/two"]'],
    ] as const) {
      const { provider } = await readyProvider([...folders]);
      const [definition] = (await provider.provideMcpServerDefinitions(token))!;
      expect(definition!.uri.toString()).toBe('http://127.0.0.1:9/mcp');
      const resolved = (await provider.resolveMcpServerDefinition!(definition!, token))!;
      expect(resolved.headers).toEqual({ Authorization: 'Bearer tok', 'X-MCPlexer-Workspace': header });
      disposables.forEach((d) => d.dispose());
      disposables = [];
      resetFake();
    }
  });

  it('over the budget: says so once and sends a server set that fits', async () => {
    visibility = servers({ [BUILTIN_SERVER_ID]: 3, big: 150, a: 100, b: 20 });
    const { provider } = await readyProvider(['/w']);
    const [definition] = (await provider.provideMcpServerDefinitions(token))!;
    const resolved = (await provider.resolveMcpServerDefinition!(definition!, token))!;
    expect(resolved.headers['X-MCPlexer-Servers']).toBe(`${BUILTIN_SERVER_ID},a,b`);
    await provider.resolveMcpServerDefinition!(definition!, token);
    const notices = fake.messages.filter((m) => m.text.includes('over the budget of 128'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('273 tools');
  });

  it('a window set the user chose is sent, trimmed to the budget', async () => {
    visibility = servers({ [BUILTIN_SERVER_ID]: 3, big: 150, a: 100, b: 20 });
    const { provider, context } = await readyProvider(['/w']);
    await context.workspaceState.update(WINDOW_SET_KEY, ['b', 'big']);
    const [definition] = (await provider.provideMcpServerDefinitions(token))!;
    expect((await provider.resolveMcpServerDefinition!(definition!, token))!.headers['X-MCPlexer-Servers']).toBe(`${BUILTIN_SERVER_ID},b`);
  });

  it('the definition’s version changes when the gateway says the tools changed', async () => {
    visibility = servers({ a: 1 });
    const { provider } = await readyProvider(['/w']);
    const before = (await provider.provideMcpServerDefinitions(token))![0]!.version;
    const fired = new Promise<void>((resolve) => provider.onDidChangeMcpServerDefinitions!(() => resolve()));
    const connection = disposables[0] as DaemonConnection;
    (connection as unknown as { eventEmitter: { fire(e: unknown): void } }).eventEmitter.fire({ type: 'tools.changed', data: { server_id: 'a' } });
    await fired;
    const after = (await provider.provideMcpServerDefinitions(token))![0]!.version;
    expect(after).not.toBe(before);
  });
});
