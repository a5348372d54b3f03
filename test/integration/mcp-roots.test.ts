// A session's workspace from the client's roots (issue 15, fault 14). Desktop VS Code sends
// initialize (declaring roots) → initialized → tools/list at once, and answers roots/list later:
// the gateway asks on the tools/list's own stream and holds that first list (at most
// `roots_wait_ms`) until the roots come, so the first list is already the workspace's; a root that
// comes after the bound is adopted and the session gets `tools/list_changed`. code-server's
// `vscode-remote://<authority>/<path>` roots select the workspace by their path; a root the gateway
// cannot use (http://, vscode-vfs://) is logged at warn with the reason and the session stays
// where it was. Replayed over raw HTTP (the wire as VS Code writes it) and with SDK clients.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addSpecServer, scratchDir } from '../helpers/original-harness.js';

/** The listed downstream tools (the always-listed `mcpx__` built-ins, the cache flush and the approval tools, say nothing about the workspace). */
const downstreamNames = (tools: Array<{ name: string }>): string[] => tools.map((tool) => tool.name).filter((name) => !name.startsWith('mcpx__'));

type Message = Record<string, any>;

const ACCEPT = 'application/json, text/event-stream';
const UNFILTERED = ['rs__a', 'ts__b'];
const IN_WORKSPACE = ['ts__b']; // the workspace denies rs__*

let t: TestGateway;
let wsDir: string; // the workspace's root: a real directory whose name has a space
const clients: Client[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  t = await startTestGateway();
  const dir = scratchDir();
  wsDir = path.join(dir, 'my project');
  mkdirSync(path.join(wsDir, 'src'), { recursive: true });
  await addSpecServer(t, dir, 'rs', ['a']);
  await addSpecServer(t, dir, 'ts', ['b']);
  expect((await t.api('POST', '/workspaces', { id: 'proj', name: 'proj', root_path: wsDir })).status).toBe(201);
  expect((await t.api('POST', '/routes', { workspace_id: 'proj', tool_pattern: 'rs__*', policy: 'deny' })).status).toBe(201);
});
afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await t?.close();
});

/** Reads an SSE (or JSON) response, handing each JSON-RPC message to `onMessage` as it arrives; resolves at the end of the body. */
async function readMessages(res: Response, onMessage: (message: Message) => void): Promise<void> {
  if (res.headers.get('content-type')?.startsWith('application/json')) return onMessage((await res.json()) as Message);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, cut);
      buffered = buffered.slice(cut + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data) onMessage(JSON.parse(data.slice(6)));
    }
  }
}

/**
 * A raw HTTP client in desktop VS Code's order: initialize (roots declared) → initialized → GET
 * stream → tools/list at once. Every roots/list it gets (on any stream) is answered after
 * `rootsDelayMs` with `roots`.
 */
async function vscodeReplay(roots: string[], rootsDelayMs: number) {
  let sessionId = '';
  const post = (body: Message) =>
    fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.token}`,
        'content-type': 'application/json',
        accept: ACCEPT,
        'mcp-protocol-version': '2025-11-25',
        ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', ...body }),
    });
  const seen: Message[] = [];
  const rootsAsked: number[] = [];
  const answerRoots = (message: Message) => {
    seen.push(message);
    if (message.method !== 'roots/list') return;
    rootsAsked.push(Date.now());
    setTimeout(() => void post({ id: message.id, result: { roots: roots.map((uri) => ({ uri, name: 'folder' })) } }).then((r) => r.text()), rootsDelayMs);
  };
  const init = await post({
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: { roots: { listChanged: true } }, clientInfo: { name: 'Visual Studio Code', version: '1.103.2' } },
  });
  sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  expect((await post({ method: 'notifications/initialized' })).status).toBe(202);
  const controller = new AbortController();
  const stream = await fetch(`${t.url}/mcp`, {
    headers: { authorization: `Bearer ${t.token}`, accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
    signal: controller.signal,
  });
  expect(stream.status).toBe(200);
  const listening = readMessages(stream, answerRoots).catch(() => undefined);
  let nextId = 2;
  const listTools = async (): Promise<string[]> => {
    let tools: string[] = [];
    const id = nextId++;
    await readMessages(await post({ id, method: 'tools/list' }), (message) => {
      if (message.id === id && message.method === undefined) tools = downstreamNames(message.result.tools);
      else answerRoots(message);
    });
    return tools;
  };
  return {
    listTools,
    seen,
    rootsAsked,
    listChanged: () => seen.filter((m) => m.method === 'notifications/tools/list_changed').length,
    close: async () => {
      controller.abort();
      await listening;
      await fetch(`${t.url}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${t.token}`, 'mcp-session-id': sessionId } });
    },
  };
}

/** An SDK v2 client declaring roots, answering roots/list after `delayMs`. */
async function sdkClient(roots: string[], delayMs = 0): Promise<Client> {
  const client = new Client({ name: 'roots-it', version: '1.0.0' }, { capabilities: { roots: {} } });
  client.setRequestHandler('roots/list', async () => {
    await sleep(delayMs);
    return { roots: roots.map((uri) => ({ uri })) };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}` } } }));
  clients.push(client);
  return client;
}
const names = async (client: Client) => downstreamNames((await client.listTools()).tools);

describe("VS Code's message order: tools/list right after initialized, roots answered later", () => {
  it('raw HTTP: the first tools/list waits for the roots and is already the workspace’s', async () => {
    const client = await vscodeReplay([pathToFileURL(path.join(wsDir, 'src')).href], 400);
    try {
      expect(await client.listTools()).toEqual(IN_WORKSPACE);
      expect(client.rootsAsked).toHaveLength(1);
      expect(client.listChanged()).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('raw HTTP: roots answered after roots_wait_ms are adopted later, with tools/list_changed', async () => {
    expect((await t.api('PUT', '/settings', { roots_wait_ms: 200 })).status).toBe(200);
    const client = await vscodeReplay([pathToFileURL(wsDir).href], 1_000);
    try {
      const began = Date.now();
      expect(await client.listTools()).toEqual(UNFILTERED);
      expect(Date.now() - began).toBeLessThan(900);
      expect(await waitFor(() => client.listChanged() === 1, 5_000)).toBe(true);
      expect(await client.listTools()).toEqual(IN_WORKSPACE);
    } finally {
      await client.close();
      await t.api('PUT', '/settings', { roots_wait_ms: 2_000 });
    }
  });

  it('an SDK client whose roots handler is slow gets the workspace’s list first', async () => {
    expect(await names(await sdkClient([pathToFileURL(path.join(wsDir, 'src')).href], 500))).toEqual(IN_WORKSPACE);
    // Several roots: the first one that names a directory here decides.
    expect(await names(await sdkClient(['untitled:Untitled-1', pathToFileURL(wsDir).href], 200))).toEqual(IN_WORKSPACE);
  });
});

describe('roots the gateway can and cannot use', () => {
  it.each([
    ['code-server over SSH', () => `vscode-remote://ssh-remote+build-host${pathToFileURL(path.join(wsDir, 'src')).pathname}`],
    ['WSL', () => `vscode-remote://wsl+Ubuntu${pathToFileURL(wsDir).pathname}`],
  ])('a vscode-remote:// root (%s) selects the workspace by its path', async (_name, root) => {
    expect(await names(await sdkClient([root()]))).toEqual(IN_WORKSPACE);
  });

  it.each([
    ['http://example.com/project', 'http://example.com/project'],
    ['vscode-vfs://github/owner/repo', 'vscode-vfs://github/owner/repo'],
  ])('a %s root is refused with a warn log naming it; the session stays in global', async (root, shown) => {
    const before = t.logs.length;
    expect(await names(await sdkClient([root]))).toEqual(UNFILTERED);
    const warned = t.logs.slice(before).find((line) => line.level === 'warn' && String(line.msg).includes('client roots'));
    expect(warned, JSON.stringify(t.logs.slice(before))).toBeDefined();
    expect(String(warned!.reason)).toContain(`root "${shown}" cannot be used`);
    expect(String(warned!.reason)).toContain('only file:// and vscode-remote:// roots');
  });
});
