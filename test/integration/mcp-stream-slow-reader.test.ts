// A 2025-era session's GET /mcp stream whose reader stops reading: the gateway cuts it off once
// 64 notifications wait behind its full socket (the SDK would queue every later one without
// bound, and the open stream would keep the session from ever expiring); then the idle session
// expires. A reader that reads again in time loses nothing. Spoken over a raw socket so reading
// can stop; the notifications are resource updates the session subscribed to, large or small.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, rawBody } from '../helpers/mcp.js';

let t: TestGateway;
const ACCEPT = 'application/json, text/event-stream';

beforeAll(async () => {
  t = await startTestGateway({ env: { MCPLEXER_SESSION_IDLE_TIMEOUT_SEC: '2' } });
  await addServer(t, rawBody('raw'));
}, 30_000);
afterAll(async () => t?.close());

const headers = (session?: string): Record<string, string> => ({
  authorization: `Bearer ${t.token}`,
  'content-type': 'application/json',
  accept: ACCEPT,
  ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {}),
});

async function post(session: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${t.url}/mcp`, { method: 'POST', headers: headers(session), body: JSON.stringify(body) });
}

async function openSession(): Promise<string> {
  const init = await post(undefined, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'slow-stream', version: '1' } },
  });
  const id = init.headers.get('mcp-session-id')!;
  await init.text();
  await (await post(id, { jsonrpc: '2.0', method: 'notifications/initialized' })).text();
  return id;
}

/** The session's GET stream on a raw socket, paused once the response head arrived; what it received. */
function stalledStream(session: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => {
      const head = { host: `127.0.0.1:${port}`, accept: 'text/event-stream', ...headers(session) };
      socket.write(
        `GET /mcp HTTP/1.1\r\n${Object.entries(head)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      const first = received === '';
      received += chunk.toString('latin1');
      if (first) {
        if (!received.startsWith('HTTP/1.1 200')) return reject(new Error(received.slice(0, 200)));
        socket.pause();
        resolve({ socket, received: () => received, closed });
      }
    });
  });
}

const cutOffs = () => t.logs.filter((line) => line.msg === 'MCP session stream reader fell behind; disconnected (the client opens the stream again)');

/** Subscribes `session` to the raw fixture's `uri` and has another session touch it `count` times. */
async function updates(session: string, uri: string, count: number, until?: () => boolean): Promise<number> {
  const subscribed = await post(session, { jsonrpc: '2.0', id: 1, method: 'resources/subscribe', params: { uri: `mcplexer://raw/${uri}` } });
  expect(await subscribed.text()).not.toContain('"error"');
  const driver = await openSession();
  let sent = 0;
  for (; sent < count && !until?.(); sent += 1) {
    const res = await post(driver, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'raw__touch', arguments: { uri } } });
    expect(await res.text()).toContain('touched');
  }
  return sent;
}

describe('a GET /mcp stream whose reader stops reading', () => {
  it.each([
    ['large updates (32 KiB URIs)', 32 * 1024, 1_000],
    ['smaller updates (8 KiB URIs)', 8 * 1024, 5_000],
  ])(
    'is cut off 64 notifications behind, with %s, and the session then expires',
    async (_name, size, max) => {
      const before = cutOffs().length;
      const session = await openSession();
      const stream = await stalledStream(session);
      const sent = await updates(session, `fixture://r/${'u'.repeat(size)}`, max, () => cutOffs().length > before);
      expect(sent).toBeLessThan(max);
      expect(cutOffs().slice(before)).toEqual([expect.objectContaining({ session, behind: 65 })]);
      stream.socket.resume(); // what was written before the cut-off, then the end
      await stream.closed;
      const expired = await waitFor(() => t.logs.some((line) => line.msg === 'MCP session expired' && line.session === session), 15_000);
      expect(expired).toBe(true);
    },
    120_000,
  );

  it('is kept, losing nothing, when its reader reads again in time', async () => {
    const session = await openSession();
    const stream = await stalledStream(session);
    const before = cutOffs().length;
    await updates(session, 'fixture://r/small', 40);
    stream.socket.resume();
    await waitFor(() => (stream.received().match(/notifications\/resources\/updated/g) ?? []).length === 40, 10_000);
    expect((stream.received().match(/notifications\/resources\/updated/g) ?? []).length).toBe(40);
    expect(cutOffs().length).toBe(before);
    expect(stream.socket.destroyed).toBe(false);
    stream.socket.destroy();
  });
});
