// The Audit view's host handlers (src/shared/webviews/host/audit-handlers.ts) against a real gateway
// with real calls (server-everything over stdio, an SDK client), and the view's merge model on what
// they relay: the first page, then the live stream from its newest id; a forced reconnect (the TCP
// relay between the client and the gateway is stopped while calls go on, then started again) and a
// view that goes and comes back (its handlers disposed, new ones subscribing after the last id it
// held) lose no record and show none twice: the merged list equals GET /audit's, id for id.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, AuditRecord } from '../../src/shared/schemas/audit.js';
import { RestClient } from '../../src/shared/rest-client.js';
import type { AuditProtocol } from '../../src/shared/webviews/audit-protocol.js';
import { auditHandlers } from '../../src/shared/webviews/host/audit-handlers.js';
import type { Handlers } from '../../src/shared/webviews/host/host-channel.js';
import { fromFirstPage, withLive, type AuditList } from '../../src/webview/audit/list-model.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody } from '../helpers/mcp.js';

/** A TCP relay on a fixed port in front of the gateway; `stop()` cuts every connection. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: number) {}
  async start(): Promise<void> {
    this.server = createServer((inbound) => {
      const outbound = connect(this.target, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined); // a cut connection: both ends are destroyed below
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

let t: TestGateway;
let relay: Relay;
let mcp: Client;
const session = () => (mcp.transport as unknown as { sessionId: string }).sessionId;

/** One view instance's host side, recording what it sends the view. */
function viewHost(client: RestClient) {
  const notes: Array<{ method: string; params: any }> = [];
  const disposers: Array<() => void> = [];
  const handlers: Handlers<AuditProtocol> = auditHandlers(
    { client: () => client as never, folders: () => [] },
    { notify: (method, params) => void notes.push({ method, params }), onDispose: (d) => void disposers.push(d) },
  );
  const relayed = () => notes.filter((n) => n.method === 'audit/records').flatMap((n) => n.params.records as AuditRecord[]);
  const statuses = () => notes.filter((n) => n.method === 'audit/stream').map((n) => n.params.status as string);
  return { handlers, relayed, statuses, dispose: () => disposers.splice(0).forEach((d) => d()) };
}

const echo = async (message: string) => mcp.callTool({ name: 'ev__echo', arguments: { message, api_key: `secret-${message}` } });

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  mcp = await connectHttp(t);
  await mcp.listTools();
  relay = new Relay(Number(new URL(t.url).port));
  await relay.start();
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await relay?.stop().catch(() => undefined);
  await t?.close();
});

describe('the Audit view over the real gateway', () => {
  it('first page, live records, a forced reconnect and a re-shown view: every record once, none missing', async () => {
    for (const m of ['p1', 'p2', 'p3']) await echo(m);
    const client = new RestClient(`http://127.0.0.1:${relay.port}`, t.token);
    const filter = { session_id: session() };
    const first = viewHost(client);

    // The first page, then the stream from its newest id (as the view does).
    let list: AuditList<AuditRecord> = fromFirstPage((await first.handlers['audit/list']({ filter, limit: 2, offset: 0 })) as AuditPage);
    expect(list.records.map((r) => r.params_redacted)).toEqual([
      { message: 'p3', api_key: '[REDACTED]' },
      { message: 'p2', api_key: '[REDACTED]' },
    ]);
    await first.handlers['audit/subscribe']({ subscription: 1, filter, lastEventId: list.lastEventId });
    await waitFor(() => first.statuses().includes('open'), 10_000);
    for (const m of ['l1', 'l2']) await echo(m);
    await waitFor(() => first.relayed().length === 2, 10_000);

    // The relay goes down while calls go on, then comes back: the stream resumes by id.
    await relay.stop();
    await waitFor(() => first.statuses().includes('reconnecting'), 10_000);
    for (const m of ['d1', 'd2', 'd3']) await echo(m);
    await relay.start();
    await waitFor(() => first.relayed().length === 5, 20_000);
    expect(first.statuses().at(-1)).toBe('open');
    await echo('after');
    await waitFor(() => first.relayed().length === 6, 10_000);
    for (const r of first.relayed()) list = withLive(list, r);

    // What the stream relayed: each id once, in order; the secret never in it.
    const relayedIds = first.relayed().map((r) => r.id);
    expect(new Set(relayedIds).size).toBe(relayedIds.length);
    expect([...relayedIds].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(relayedIds);
    expect(JSON.stringify(first.relayed())).not.toContain('secret-');

    // The view goes (its stream closes); calls go on; a new view resubscribes after the id it held.
    first.dispose();
    for (const m of ['h1', 'h2']) await echo(m);
    const again = viewHost(client);
    await again.handlers['audit/subscribe']({ subscription: 1, filter, lastEventId: list.lastEventId });
    await waitFor(() => again.relayed().length === 2, 10_000);
    // A replay that overlaps what the view held (an older id) is dropped by the model.
    for (const r of [...first.relayed().slice(-2), ...again.relayed()]) list = withLive(list, r);
    again.dispose();

    // The list is GET /audit's newest records for the session, id for id, with no hole.
    const truth = (await t.client.listAudit({ session_id: session(), limit: 500 })).data;
    expect(truth.map((r) => (r.params_redacted as { message: string }).message)).toEqual(['h2', 'h1', 'after', 'd3', 'd2', 'd1', 'l2', 'l1', 'p3', 'p2', 'p1']);
    expect(list.records.map((r) => r.id)).toEqual(truth.slice(0, list.records.length).map((r) => r.id));
    expect(list.records).toHaveLength(10); // the first page held 2 of the 3 older ones; "Load older" gets p1
    expect(list.total).toBe(truth.length);
  }, 60_000);

  it('a filter on error_code streams only those records', async () => {
    const view = viewHost(t.client);
    const filter = { session_id: session(), error_code: 'tool_error' };
    const page = (await view.handlers['audit/list']({ filter, limit: 50, offset: 0 })) as AuditPage;
    let list = fromFirstPage(page);
    await view.handlers['audit/subscribe']({ subscription: 1, filter, lastEventId: list.lastEventId });
    await waitFor(() => view.statuses().includes('open'), 10_000);
    await echo('fine');
    await mcp.callTool({ name: 'ev__echo', arguments: { message: 5 } });
    await waitFor(() => view.relayed().length === 1, 10_000);
    for (const r of view.relayed()) list = withLive(list, r);
    expect(list.records.map((r) => [r.status, r.error_code])).toEqual([['error', 'tool_error'], ...page.data.map((r) => [r.status, r.error_code])]);
    view.dispose();
  });
});
