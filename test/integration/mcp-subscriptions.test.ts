// Resource subscriptions are counted per (instance, URI): the first subscriber subscribes
// downstream, the last one unsubscribes, a session that ends drops its own, and
// `notifications/resources/updated` reaches only the sessions subscribed to that URI. Sessions of
// two workspaces share one downstream; the raw fixture writes each subscribe/unsubscribe it gets
// to stderr, and server-everything sends its own periodic updates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, everythingStdioBody, rawBody } from '../helpers/mcp.js';

let t: TestGateway;
let rawId: string;
const dirs: string[] = [];
const clients: Client[] = [];

interface Session {
  client: Client;
  transport: StreamableHTTPClientTransport;
  updated: string[];
}

async function session(dir: string): Promise<Session> {
  const client = new Client({ name: 'subs-it', version: '1.0.0' }, { capabilities: {} });
  const updated: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', t.url), {
    requestInit: { headers: { authorization: `Bearer ${t.token}`, 'X-MCPlexer-Workspace': dir } },
  });
  await client.connect(transport);
  clients.push(client);
  return { client, transport, updated };
}

/** What the raw fixture was asked to subscribe/unsubscribe, in order, from its stderr. */
async function downstreamLog(): Promise<string[]> {
  const health = await t.api('GET', '/health');
  const raw = health.body.downstreams.find((d: { server_id: string }) => d.server_id === rawId);
  return (raw.stderr_tail as string[]).filter((line) => /^(subscribe|unsubscribe) /.test(line));
}

async function gatewayUri(client: Client, suffix: string): Promise<string> {
  const { resources } = await client.listResources();
  return resources.find((r) => r.uri.endsWith(suffix))!.uri;
}

beforeAll(async () => {
  t = await startTestGateway();
  rawId = (await addServer(t, rawBody('raw'))).id;
  await addServer(t, everythingStdioBody('ev'));
  for (const name of ['A', 'B']) {
    const dir = mkdtempSync(path.join(tmpdir(), `mcplexer-subs-${name}-`));
    dirs.push(dir);
    expect((await t.api('POST', '/workspaces', { name: `Workspace ${name}`, root_path: dir })).status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await t?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('resource subscriptions of several sessions on one downstream', () => {
  it("keeps B's updates after A unsubscribes, sends updates only to subscribers, and unsubscribes downstream when the last one ends", async () => {
    const a = await session(dirs[0]!);
    const b = await session(dirs[1]!);
    const c = await session(dirs[0]!); // never subscribes
    const r1 = await gatewayUri(a.client, 'fixture://r/1');
    const r2 = await gatewayUri(a.client, 'fixture://r/2');

    await a.client.subscribeResource({ uri: r1 });
    await b.client.subscribeResource({ uri: r1 });
    await b.client.subscribeResource({ uri: r2 });
    expect(await downstreamLog()).toEqual(['subscribe fixture://r/1', 'subscribe fixture://r/2']);

    await c.client.callTool({ name: 'raw__touch', arguments: { uri: 'fixture://r/1' } });
    await waitFor(() => a.updated.length > 0 && b.updated.length > 0);
    expect([a.updated, b.updated, c.updated]).toEqual([[r1], [r1], []]);

    await a.client.unsubscribeResource({ uri: r1 });
    await a.client.unsubscribeResource({ uri: r2 }); // never subscribed: nothing to undo
    expect(await downstreamLog()).toEqual(['subscribe fixture://r/1', 'subscribe fixture://r/2']);
    await c.client.callTool({ name: 'raw__touch', arguments: { uri: 'fixture://r/1' } });
    await c.client.callTool({ name: 'raw__touch', arguments: { uri: 'fixture://r/2' } });
    await waitFor(() => b.updated.length === 3);
    expect([a.updated, b.updated, c.updated]).toEqual([[r1], [r1, r1, r2], []]);

    // B's session ends (DELETE): it was the last subscriber of both URIs.
    await b.transport.terminateSession();
    expect(await waitFor(async () => (await downstreamLog()).length === 4)).toBe(true);
    expect((await downstreamLog()).slice(2).sort()).toEqual(['unsubscribe fixture://r/1', 'unsubscribe fixture://r/2']);
  });

  it("server-everything: B keeps getting the server's own updates after A unsubscribes the same resource", async () => {
    const a = await session(dirs[0]!);
    const b = await session(dirs[1]!);
    const { resources } = await a.client.listResources();
    const uri = resources.find((r) => r.uri.startsWith('mcplexer://ev/'))!.uri;
    await a.client.subscribeResource({ uri });
    await b.client.subscribeResource({ uri });
    await a.client.callTool({ name: 'ev__toggle-subscriber-updates', arguments: {} });
    await waitFor(() => a.updated.length > 0 && b.updated.length > 0, 15_000);
    await a.client.unsubscribeResource({ uri });
    const [seenByA, seenByB] = [a.updated.length, b.updated.length];
    expect(await waitFor(() => b.updated.length > seenByB, 15_000)).toBe(true);
    expect(a.updated.length).toBe(seenByA);
    expect(new Set(b.updated)).toEqual(new Set([uri]));
  }, 40_000);
});
