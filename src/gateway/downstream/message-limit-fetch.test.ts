import { describe, expect, it } from 'vitest';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { GatewayError } from '../errors.js';
import { HttpMessageLimit, requestIdsOf } from './message-limit-fetch.js';
import { SseEventSize } from './sse-event-size.js';

const LIMIT = 1024;

/** A server's answer in the given chunks; `cancelled` turns true when the reader cancels it, `pulled` counts chunks handed out. */
function source(chunks: Array<string | Uint8Array>, contentType: string) {
  const state = { cancelled: false, pulled: 0 };
  let index = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (index === chunks.length) return controller.close();
        const chunk = chunks[index++]!;
        state.pulled++;
        controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const fetch = async () => new Response(body, { status: 200, headers: { 'content-type': contentType } });
  return { state, fetch };
}

function limited(chunks: Array<string | Uint8Array>, contentType: string, limit = LIMIT) {
  const served = source(chunks, contentType);
  const guard = new HttpMessageLimit('Remote Big', () => limit);
  let closed = 0;
  guard.onStreamOversize = () => void closed++;
  return { ...served, guard, fetch: guard.wrap(served.fetch), closed: () => closed };
}

const POST = (id: number | string) => ({ method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: {} }) });
const pieces = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

/** Parses an SSE body as the SDK does and returns each event's type and data. */
async function events(response: Response): Promise<Array<{ event?: string; data: string }>> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  const seen: Array<{ event?: string; data: string }> = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) seen.push({ event: next.value.event, data: next.value.data });
  return seen;
}

describe('HttpMessageLimit over a JSON body', () => {
  it('passes a body of exactly the limit, read in many chunks', async () => {
    const body = `{"a":"${'x'.repeat(LIMIT - 8)}"}`;
    expect(body.length).toBe(LIMIT);
    const t = limited(pieces(body, 100), 'application/json');
    expect(await (await t.fetch('http://x/mcp', POST(1))).text()).toBe(body);
    expect(t.state.cancelled).toBe(false);
  });

  it.each([
    ['one byte over, the last of many chunks', LIMIT + 1, 100],
    ['far over, in one chunk', LIMIT * 50, LIMIT * 50],
  ])('%s: the read fails with the oversize error and the body is cancelled', async (_name, bytes, chunk) => {
    const t = limited(pieces('y'.repeat(bytes), chunk), 'application/json');
    const error = await (await t.fetch('http://x/mcp', POST(1))).json().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('downstream_error');
    expect((error as GatewayError).message).toContain('"Remote Big" sent a message of more than 1024 bytes');
    expect((error as GatewayError).message).toContain('max_message_bytes');
    expect((error as GatewayError).message).toContain('in its HTTP response');
    expect(t.state.cancelled).toBe(true);
    expect(t.state.pulled).toBe(Math.ceil((LIMIT + 1) / chunk));
    expect(t.closed()).toBe(0);
  });
});

describe('HttpMessageLimit over an SSE body', () => {
  const event = (text: string, eol = '\n') => `event: message${eol}data: ${text}${eol}${eol}`;

  it.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
  ])('does not cut a stream of many small events whose sum is far past the limit (%s line breaks, split anywhere)', async (_name, eol) => {
    const stream = Array.from({ length: 200 }, (_, i) => event(`{"n":${i},"pad":"${'z'.repeat(80)}"}`, eol)).join('');
    expect(stream.length).toBeGreaterThan(LIMIT * 15);
    const t = limited(pieces(stream, 37), 'text/event-stream');
    const seen = await events(await t.fetch('http://x/mcp', POST(1)));
    expect(seen).toHaveLength(200);
    expect(JSON.parse(seen[199]!.data).n).toBe(199);
    expect(t.state.cancelled).toBe(false);
  });

  it('passes one event of exactly the limit (line breaks not counted), in many chunks', async () => {
    const data = 'q'.repeat(LIMIT - 'event: message'.length - 'data: '.length);
    const t = limited(pieces(event(data), 64), 'text/event-stream');
    expect((await events(await t.fetch('http://x/mcp', POST(1)))).map((e) => e.data)).toEqual([data]);
  });

  const big = (data: string, chunk: number) => pieces(event('{"small":1}') + event(data), chunk);
  it.each([
    ['one byte over, cut inside a data line', big('q'.repeat(LIMIT - 'event: message'.length - 'data: '.length + 1), 64), 5],
    ['far over, after a small event', big('w'.repeat(LIMIT * 20), 512), 'abc'],
    [
      'over on its second data line, cut at a line start',
      [event('{"small":1}'), 'event: message\n', `data: ${'a'.repeat(600)}\n`, `data: ${'b'.repeat(600)}\n`, '\n'],
      6,
    ],
  ])('%s: the request’s stream ends with an error answer for its id; the cut event is skipped', async (_name, chunks, id) => {
    const t = limited(chunks, 'text/event-stream');
    const seen = await events(await t.fetch('http://x/mcp', POST(id)));
    expect(seen[0]!.data).toBe('{"small":1}');
    expect(seen[1]!.event).toBe('mcplexer-discarded');
    const answer = JSON.parse(seen[2]!.data);
    expect(answer.id).toBe(id);
    expect(answer.error.data.mcplexer).toBe('oversize_response');
    expect(answer.error.message).toContain('more than 1024 bytes');
    expect(answer.error.message).toContain('max_message_bytes');
    expect(seen).toHaveLength(3);
    expect(t.state.cancelled).toBe(true);
    expect(t.closed()).toBe(0);
  });

  it('on a stream no request owns (a GET), errors the stream, records the oversize and closes the transport', async () => {
    const t = limited([event('{"ok":1}'), `data: ${'v'.repeat(LIMIT)}`], 'text/event-stream');
    const response = await t.fetch('http://x/mcp', { method: 'GET' });
    const error = await response.text().catch((e: unknown) => e);
    expect((error as GatewayError).message).toContain('on its HTTP event stream');
    expect(t.guard.streamOversize).toMatchObject({ limit: LIMIT, where: 'stream' });
    expect(t.closed()).toBe(1);
    expect(t.state.cancelled).toBe(true);
  });

  it('reads the limit at each chunk, so a lowered setting applies to the stream already open', async () => {
    let limit = LIMIT;
    const served = source([event('a'.repeat(600)), event('b'.repeat(600))], 'text/event-stream');
    const guard = new HttpMessageLimit('Remote Big', () => limit);
    const response = await guard.wrap(served.fetch)('http://x/mcp', POST(9));
    const reader = response.body!.getReader();
    await reader.read();
    limit = 100;
    const rest = new TextDecoder().decode((await reader.read()).value);
    expect(rest).toContain('"id":9');
  });
});

describe('SseEventSize', () => {
  it.each([
    ['\\n\\n', 'data: 12345\n\n', 0],
    ['\\r\\n\\r\\n split between CR and LF', 'data: 12345\r\n\r', 0],
    ['\\r\\r', 'data: 12345\r\r', 0],
    ['an unfinished event', 'data: 12345\ndata: 678', 20],
  ])('counts the bytes since the last boundary: %s', (_name, text, bytes) => {
    const size = new SseEventSize();
    expect(size.feed(new TextEncoder().encode(text), 100)).toBe(true);
    expect(size.bytes).toBe(bytes);
  });
});

describe('requestIdsOf', () => {
  it.each([
    ['a request', '{"jsonrpc":"2.0","id":3,"method":"ping"}', [3]],
    ['a batch', '[{"jsonrpc":"2.0","id":"a","method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"},{"jsonrpc":"2.0","id":4,"result":{}}]', ['a']],
    ['no body (a GET)', undefined, []],
    ['not JSON', '{', []],
  ])('%s', (_name, body, ids) => {
    expect(requestIdsOf(body)).toEqual(ids);
  });
});
