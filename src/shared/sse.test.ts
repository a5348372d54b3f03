/**
 * The SSE parser (the WHATWG rules, chunks split anywhere) and `GatewayEventStream` against a small
 * real node:http SSE server: events in order, `Last-Event-ID` sent on the reconnection after a drop,
 * `resync` handed to the caller, unknown event types skipped and reported, statuses, `close()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from './schemas/daemon.js';
import { GatewayEventStream, SseParser, type SseMessage } from './sse.js';

function parse(chunks: string[]): { messages: SseMessage[]; retries: number[]; parser: SseParser } {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = new SseParser(
    (m) => messages.push(m),
    (ms) => retries.push(ms),
  );
  for (const chunk of chunks) parser.push(chunk);
  return { messages, retries, parser };
}

describe('SseParser', () => {
  const stream = 'id: 1\nevent: config.changed\ndata: {"kinds":["routes"]}\n\n: ping\n\nid: 2\nevent: tools.changed\ndata: {"server_id":\ndata: "ev"}\n\n';
  const expected = [
    { id: '1', type: 'config.changed', data: '{"kinds":["routes"]}' },
    { id: '2', type: 'tools.changed', data: '{"server_id":\n"ev"}' },
  ];

  it('parses events, skips comments, joins data lines with a newline', () => {
    expect(parse([stream]).messages).toEqual(expected);
  });

  it('gives the same events whatever the chunk boundaries (every split point, one char at a time)', () => {
    for (let cut = 1; cut < stream.length; cut += 1) expect(parse([stream.slice(0, cut), stream.slice(cut)]).messages).toEqual(expected);
    expect(parse([...stream]).messages).toEqual(expected);
  });

  it('accepts CRLF and CR line ends, a CRLF split across chunks included', () => {
    const crlf = stream.replaceAll('\n', '\r\n');
    expect(parse([crlf]).messages).toEqual(expected);
    for (let cut = 1; cut < crlf.length; cut += 1) expect(parse([crlf.slice(0, cut), crlf.slice(cut)]).messages).toEqual(expected);
    expect(parse([stream.replaceAll('\n', '\r')]).messages).toEqual(expected);
  });

  it('keeps the last id across events, defaults the type to message, drops data-less events and unfinished ones', () => {
    const { messages, parser } = parse(['id: 7\n\ndata: a\n\nevent: x\n\ndata:b\nid\n\ndata: unfinished']);
    expect(messages).toEqual([
      { id: '7', type: 'message', data: 'a' },
      { id: '', type: 'message', data: 'b' },
    ]);
    expect(parser.lastEventId).toBe('');
    parser.reset();
    parser.push('\n');
    expect(messages).toHaveLength(2);
  });

  it('reads retry only when it is all digits, and ignores an id holding NUL', () => {
    const { retries, parser } = parse(['retry: 250\nretry: 1s\nid: 3\nid: 4\0x\ndata: d\n\n']);
    expect(retries).toEqual([250]);
    expect(parser.lastEventId).toBe('3');
  });
});

/** A real SSE server: each connection gets the next script; it records the Last-Event-ID of each request. */
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function sseServer(scripts: Array<(res: ServerResponse) => void>): Promise<{ url: string; requests: IncomingMessage['headers'][] }> {
  const requests: IncomingMessage['headers'][] = [];
  server = createServer((req, res) => {
    const script = scripts[requests.length] ?? ((r: ServerResponse) => r.writeHead(503).end('no more'));
    requests.push(req.headers);
    script(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/v1/events`, requests };
}

const open = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
const event = (id: number, type: string, data: unknown) => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

function collect(stream: GatewayEventStream) {
  const events: GatewayEvent[] = [];
  const statuses: string[] = [];
  const errors: string[] = [];
  stream.onEvent((e) => events.push(e));
  stream.onStatus((s) => statuses.push(s));
  stream.onError((e) => errors.push(e.message));
  return { events, statuses, errors };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('GatewayEventStream against a real SSE server', () => {
  it('delivers events in order, resumes after a drop with Last-Event-ID, and hands resync to the caller', async () => {
    const { url, requests } = await sseServer([
      (res) => {
        open(res);
        res.write(': ping\n\n');
        res.write(event(1, 'config.changed', { kinds: ['routes'] }));
        res.end(event(2, 'downstream.state', { server_id: 'ev', scope_id: null, state: 'ready' }));
      },
      (res) => {
        open(res);
        res.write(event(3, 'resync', {}));
        res.write(event(4, 'tools.changed', { server_id: 'ev' }));
      },
    ]);
    const stream = new GatewayEventStream({ url, token: 'tok', minDelayMs: 1 });
    const seen = collect(stream);
    await until(() => seen.events.length === 4);
    expect(seen.events).toEqual([
      { id: 1, type: 'config.changed', data: { kinds: ['routes'] } },
      { id: 2, type: 'downstream.state', data: { server_id: 'ev', scope_id: null, state: 'ready' } },
      { id: 3, type: 'resync', data: {} },
      { id: 4, type: 'tools.changed', data: { server_id: 'ev' } },
    ]);
    expect(requests.map((h) => h['last-event-id'])).toEqual([undefined, '2']);
    expect(requests[0]).toMatchObject({ authorization: 'Bearer tok', accept: 'text/event-stream' });
    expect(stream.lastEventId).toBe('4');
    stream.close();
    expect(seen.statuses).toEqual(['open', 'reconnecting', 'open', 'closed']);
    expect(stream.status).toBe('closed');
  });

  it('sends the given lastEventId on its first request, and keeps trying through refusals with the last id', async () => {
    const { url, requests } = await sseServer([
      (res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}'),
      (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('not sse'),
      (res) => {
        open(res);
        res.write(event(42, 'windows.changed', {}));
      },
    ]);
    const stream = new GatewayEventStream({ url, token: 'tok', lastEventId: '41', minDelayMs: 1 });
    const seen = collect(stream);
    await until(() => seen.events.length === 1);
    stream.close();
    expect(requests.map((h) => h['last-event-id'])).toEqual(['41', '41', '41']);
    expect(seen.errors).toEqual([expect.stringContaining('answered 500'), expect.stringContaining('text/plain, not text/event-stream')]);
    expect(seen.events).toEqual([{ id: 42, type: 'windows.changed', data: {} }]);
  });

  it('skips (and reports) an event of a type or shape it does not know, and goes on', async () => {
    const { url } = await sseServer([
      (res) => {
        open(res);
        res.write(event(1, 'future.thing', { x: 1 }));
        res.write(event(2, 'tools.changed', { server: 'wrong-field' }));
        res.write('id: 3\nevent: tools.changed\ndata: {not json\n\n');
        res.write(event(4, 'tools.changed', { server_id: 'ok' }));
      },
    ]);
    const stream = new GatewayEventStream({ url, token: 'tok' });
    const seen = collect(stream);
    await until(() => seen.events.length === 1);
    stream.close();
    expect(seen.events.map((e) => e.id)).toEqual([4]);
    expect(seen.errors).toEqual([expect.stringContaining('"future.thing"'), expect.stringContaining('"tools.changed"'), expect.stringContaining('not JSON')]);
  });

  it('close() stops a stream that is waiting to reconnect: no request after it', async () => {
    const { url, requests } = await sseServer([(res) => res.writeHead(503).end()]);
    const stream = new GatewayEventStream({ url, token: 'tok', minDelayMs: 60_000 });
    const seen = collect(stream);
    await until(() => seen.errors.length === 1);
    stream.close();
    expect(stream.status).toBe('closed');
    expect(requests).toHaveLength(1);
    expect(seen.statuses).toEqual(['closed']);
  });
});
