// Every server→client message reaches exactly the session whose call it belongs to. Two sessions
// of different workspaces share one downstream instance (same declared capabilities, same roots);
// while B has a call in flight, A's elicitation and sampling requests are refused to the
// downstream as unattributable (its own error path runs: the fixture returns the error) and A's
// log line goes to nobody; progress goes by token only; roots/list is answered by the instance
// with the roots the two share, asking neither. With B's call gone, A's messages reach A, never B.
// Run through the lean path (tools/call), the SDK path (prompts/get) and the stdio bridge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectBridge, killStrayGateway, rawBody, text } from '../helpers/mcp.js';

let t: TestGateway;
const dirs: Record<'A' | 'B', string> = { A: '', B: '' };
/** The one root both clients list: sessions of different roots never share an instance (mcp-roots-instances.test.ts). */
let sharedRoot = '';
const opened: Client[] = [];

interface Seen {
  elicitations: unknown[];
  samplings: unknown[];
  roots: number;
  logs: string[];
}

/** A client declaring elicitation, sampling and roots that records every server→client message it gets. */
function recordingClient(label: string): { client: Client; seen: Seen } {
  const seen: Seen = { elicitations: [], samplings: [], roots: 0, logs: [] };
  const client = new Client({ name: `relay-${label}`, version: '1.0.0' }, { capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} } });
  client.setRequestHandler('elicitation/create', async (request) => {
    seen.elicitations.push(request.params);
    return { action: 'accept', content: { name: `answer of ${label}`, topic: `topic of ${label}` } };
  });
  client.setRequestHandler('sampling/createMessage', async (request) => {
    seen.samplings.push(request.params);
    return { model: 'm', role: 'assistant', content: { type: 'text', text: `sampled by ${label}` } };
  });
  client.setRequestHandler('roots/list', async () => {
    seen.roots += 1;
    return { roots: [{ uri: pathToFileURL(sharedRoot).href, name: 'shared' }] };
  });
  client.setNotificationHandler('notifications/message', (n) => void seen.logs.push(String(n.params.data)));
  opened.push(client);
  return { client, seen };
}

async function httpSession(label: 'A' | 'B') {
  const session = recordingClient(label);
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', t.url), {
    requestInit: { headers: { authorization: `Bearer ${t.token}`, 'X-MCPlexer-Workspace': dirs[label] } },
  });
  await session.client.connect(transport);
  return session;
}

async function bridgeSession(label: 'A' | 'B') {
  const session = recordingClient(label);
  await connectBridge(t.home, { cwd: dirs[label], client: session.client });
  return session;
}

beforeAll(async () => {
  dirs.A = mkdtempSync(path.join(tmpdir(), 'mcplexer-relay-a-'));
  dirs.B = mkdtempSync(path.join(tmpdir(), 'mcplexer-relay-b-'));
  sharedRoot = mkdtempSync(path.join(tmpdir(), 'mcplexer-relay-root-'));
  t = await startTestGateway({ lock: true });
  await addServer(t, rawBody('raw'));
  for (const label of ['A', 'B'] as const) {
    const created = await t.api('POST', '/workspaces', { name: `Workspace ${label}`, root_path: dirs[label] });
    expect(created.status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(opened.map((client) => client.close()));
  if (t) killStrayGateway(t.home);
  await t?.close();
  for (const dir of [...Object.values(dirs), sharedRoot]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function inFlight(): Promise<number> {
  const health = await t.api('GET', '/health');
  let total = 0;
  for (const d of health.body.downstreams as Array<{ instances: Array<{ in_flight: number }> }>) for (const i of d.instances) total += i.in_flight;
  return total;
}

/** Runs `body` while B has a call in flight on the shared instance, then cancels it and waits until the gateway let go of it. */
async function whileBBusy<T>(b: Client, body: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const hang = b.callTool({ name: 'raw__hang', arguments: {} }, { signal: abort.signal }).catch(() => undefined);
  await waitFor(async () => (await inFlight()) > 0);
  try {
    return await body();
  } finally {
    abort.abort('done');
    await hang;
    expect(await waitFor(async () => (await inFlight()) === 0)).toBe(true);
  }
}

const UNATTRIBUTABLE = /could not attribute .* to one client/;

describe.each([
  ['the lean path and the SDK path over HTTP', httpSession],
  ['the stdio bridge', bridgeSession],
])('server→client messages through %s', (_label, open) => {
  let a: Awaited<ReturnType<typeof httpSession>>;
  let b: Awaited<ReturnType<typeof httpSession>>;
  beforeAll(async () => {
    a = await open('A');
    b = await open('B');
  }, 30_000);

  it.each([
    ['elicitation', 'raw__elicit', (s: Seen) => s.elicitations.length, () => 'answer of A'],
    ['sampling', 'raw__sample', (s: Seen) => s.samplings.length, () => 'sampled by A'],
  ])('%s: refused as unattributable while B has a call in flight, answered by A alone otherwise', async (_kind, tool, count, answer) => {
    const before = { a: count(a.seen), b: count(b.seen) };
    const refused = await whileBBusy(b.client, () => a.client.callTool({ name: tool, arguments: { prompt: 'question of A' } }));
    expect(text(refused)).toMatch(UNATTRIBUTABLE);
    expect([count(a.seen), count(b.seen)]).toEqual([before.a, before.b]);

    const answered = await a.client.callTool({ name: tool, arguments: { prompt: 'question of A' } });
    expect(text(answered)).toContain(answer());
    expect([count(a.seen), count(b.seen)]).toEqual([before.a + 1, before.b]);
  });

  it('roots: the instance answers with the roots its sessions share, while B has a call in flight too, asking neither client', async () => {
    const before = { a: a.seen.roots, b: b.seen.roots };
    const busy = await whileBBusy(b.client, () => a.client.callTool({ name: 'raw__roots', arguments: {} }));
    expect(text(busy)).toContain(pathToFileURL(sharedRoot).href);
    expect(text(await a.client.callTool({ name: 'raw__roots', arguments: {} }))).toContain(pathToFileURL(sharedRoot).href);
    expect([a.seen.roots, b.seen.roots]).toEqual([before.a, before.b]);
  });

  it("logging: A's log line reaches nobody while B has a call in flight, and only A otherwise", async () => {
    await whileBBusy(b.client, () => a.client.callTool({ name: 'raw__log', arguments: { data: 'A-secret-1' } }));
    await a.client.callTool({ name: 'raw__log', arguments: { data: 'A-secret-2' } });
    await waitFor(() => a.seen.logs.includes('A-secret-2'));
    expect(a.seen.logs.filter((line) => line.startsWith('A-secret'))).toEqual(['A-secret-2']);
    expect(b.seen.logs.filter((line) => line.startsWith('A-secret'))).toEqual([]);
  });

  it('progress: goes by token to the caller only, even while B has a call in flight', async () => {
    const progressA: number[] = [];
    const result = await whileBBusy(b.client, () =>
      a.client.callTool({ name: 'raw__progress', arguments: { steps: 3, gapMs: 300 } }, { onprogress: (p) => void progressA.push(p.progress) }),
    );
    expect(text(result)).toBe('done 3');
    // The result comes 300 ms after the progress: an SDK client over stdio (the bridge's) drops
    // progress that shares a read with the result, which is the SDK's behaviour, not the relay's.
    expect(progressA).toEqual([1, 2, 3]);
  });

  it("the SDK path (prompts/get) relays the same way: refused while B is busy, A's own otherwise", async () => {
    const before = { a: a.seen.elicitations.length, b: b.seen.elicitations.length };
    const refused = await whileBBusy(b.client, () => a.client.getPrompt({ name: 'raw__ask' }));
    expect(JSON.stringify(refused.messages)).toMatch(UNATTRIBUTABLE);
    const answered = await a.client.getPrompt({ name: 'raw__ask' });
    expect(JSON.stringify(answered.messages)).toContain('topic of A');
    expect([a.seen.elicitations.length, b.seen.elicitations.length]).toEqual([before.a + 1, before.b]);
    expect(b.seen.logs.filter((line) => line.startsWith('prompt log'))).toEqual([]);
  });
});
