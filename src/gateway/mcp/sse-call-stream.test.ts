import { request, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpSession } from './session.js';
import { MAX_QUEUED_NOTIFICATIONS, SseCallStream } from './sse-call-stream.js';

/**
 * The lean path's SSE writer against a real loopback HTTP connection whose reader stops reading:
 * the queue stays bounded while the downstream keeps talking, and everything vital arrives once
 * reading resumes.
 */
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function pausedStream(): Promise<{ stream: SseCallStream; session: McpSession; res: ServerResponse; resume(): Promise<string> }> {
  const session = new McpSession('s-1', 'legacy', Buffer.alloc(0));
  let serverRes!: ServerResponse;
  let stream!: SseCallStream;
  server = createServer((_req, res) => {
    serverRes = res;
    stream = new SseCallStream(res, session);
    stream.notify({ method: 'notifications/first' }); // sends the SSE headers
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server!.address() as AddressInfo;
  const client = await new Promise<IncomingMessage>((resolve) => request({ port, host: '127.0.0.1', method: 'POST' }, resolve).end());
  client.pause();
  const resume = () =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      client.on('data', (chunk: Buffer) => chunks.push(chunk));
      client.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      client.resume();
    });
  return { stream, session, res: serverRes, resume };
}

const messages = (text: string) =>
  text
    .split('\n\n')
    .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice(6)) as Record<string, any>);

describe('SseCallStream', () => {
  it.each([
    ['logging', 'notifications/message'],
    ['resource list changes', 'notifications/resources/list_changed'],
  ])('bounds the queue behind a reader that stopped (%s), coalesces progress, keeps every vital message', async (_kind, method) => {
    const { stream, session, res, resume } = await pausedStream();
    const filler = 'x'.repeat(2048);
    const total = 5000;
    let maxBuffered = 0;
    for (let i = 1; i <= total; i++) {
      stream.notify({ method: 'notifications/progress', params: { progressToken: 't', progress: i, total } });
      stream.notify({ method, params: { data: `${i} ${filler}` } });
      maxBuffered = Math.max(maxBuffered, res.writableLength);
    }
    const answered = stream.request({ method: 'elicitation/create', params: { message: 'still asked' } }, new AbortController().signal);
    stream.finish({ jsonrpc: '2.0', id: 1, result: { done: true } });

    // ~10 MB was offered; what waits is bounded by the queue, never by what the downstream sent.
    expect(stream.maxQueued).toBeLessThanOrEqual(MAX_QUEUED_NOTIFICATIONS + 3);
    expect(stream.dropped).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThan(4 * 1024 * 1024);

    const received = messages(await resume());
    const progress = received.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress);
    expect(progress.at(-1)).toBe(total);
    expect(progress.length).toBeLessThan(total);
    expect(received.filter((m) => m.method === method).length + stream.dropped).toBe(total);
    const request = received.find((m) => m.method === 'elicitation/create')!;
    expect(request.params.message).toBe('still asked');
    expect(received.at(-1)).toEqual({ jsonrpc: '2.0', id: 1, result: { done: true } });
    expect(session.droppedNotifications).toBe(stream.dropped);
    session.fastServerRequests.get(request.id)!.resolve({ action: 'decline' });
    await expect(answered).resolves.toEqual({ action: 'decline' });
  });

  it('answers with one JSON body when nothing preceded the result', async () => {
    const session = new McpSession('s-2', 'legacy', Buffer.alloc(0));
    server = createServer((_req, res) => new SseCallStream(res, session).finish({ jsonrpc: '2.0', id: 7, result: {} }));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
  });
});
