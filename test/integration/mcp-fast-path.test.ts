import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, rawBody } from '../helpers/mcp.js';

/**
 * The lean path for tools/call on an established session, spoken to over raw HTTP so the wire
 * form is visible: a JSON answer when nothing precedes the result, an SSE stream (progress,
 * server→client requests, then the result) when something does, and cancellation by
 * `notifications/cancelled`.
 */
let t: TestGateway;
let sessionId: string;
const ACCEPT = 'application/json, text/event-stream';

async function post(body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t.token}`,
      'content-type': 'application/json',
      accept: ACCEPT,
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
      ...extra,
    },
    body: JSON.stringify(body),
  });
}

function sseMessages(text: string): Array<Record<string, any>> {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
    .filter(Boolean)
    .map((line) => JSON.parse(line!.slice(6)));
}

beforeAll(async () => {
  t = await startTestGateway();
  await addServer(t, rawBody('raw'));
  const init = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: ACCEPT },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: { sampling: {} }, clientInfo: { name: 'raw-http', version: '1' } },
    }),
  });
  sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
  const list = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  expect(await list.text()).toContain('raw__echo');
});
afterAll(async () => t?.close());

describe('tools/call fast path', () => {
  it('answers a plain call with one JSON body', async () => {
    const res = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'raw__echo', arguments: { message: 'fast' } } });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('mcp-session-id')).toBe(sessionId);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      id: 2,
      result: { content: [{ type: 'text', text: 'Echo: fast' }], _meta: { cache: { cached: false } } },
    });
  });

  it("streams progress with the client's own token before the result", async () => {
    const res = await post({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'raw__progress', arguments: { steps: 3 }, _meta: { progressToken: 'client-token' } },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const messages = sseMessages(await res.text());
    expect(messages.map((m) => m.method ?? 'result')).toEqual(['notifications/progress', 'notifications/progress', 'notifications/progress', 'result']);
    expect(messages.slice(0, 3).map((m) => [m.params.progressToken, m.params.progress])).toEqual([
      ['client-token', 1],
      ['client-token', 2],
      ['client-token', 3],
    ]);
    expect(messages[3]).toMatchObject({ id: 3, result: { content: [{ text: 'done 3' }] } });
  });

  it("relays a server→client request on the call's stream and delivers the client's answer", async () => {
    const res = await post({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'raw__sample', arguments: { prompt: 'hello' } } });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('sampling/createMessage')) text += new TextDecoder().decode((await reader.read()).value);
    const request = sseMessages(text).find((m) => m.method === 'sampling/createMessage')!;
    expect(request.params.messages[0].content.text).toBe('hello');
    const answer = await post({ jsonrpc: '2.0', id: request.id, result: { model: 'm', role: 'assistant', content: { type: 'text', text: 'sampled!' } } });
    expect(answer.status).toBe(202);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
    expect(sseMessages(text).at(-1)).toMatchObject({ id: 4, result: { content: [{ text: expect.stringContaining('sampled!') }] } });
  });

  it('cancels a call in flight on notifications/cancelled and tells the downstream', async () => {
    const pending = post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'raw__hang', arguments: {} } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5, reason: 'user gave up' } })).status).toBe(202);
    const res = await pending;
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32800);
    await waitFor(async () => {
      const health = await t.api('GET', '/health');
      return health.body.downstreams.some((d: { stderr_tail: string[] }) => d.stderr_tail.some((line) => line.startsWith('cancelled')));
    }, 10_000);
    const after = await post({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'raw__echo', arguments: { message: 'still here' } } });
    expect(((await after.json()) as { result: { content: Array<{ text: string }> } }).result.content[0]!.text).toBe('Echo: still here');
  });

  it('relays downstream log messages at or above the level the client set with logging/setLevel', async () => {
    const logged = await post({ jsonrpc: '2.0', id: 20, method: 'tools/call', params: { name: 'raw__log', arguments: {} } });
    expect(logged.headers.get('content-type')).toBe('text/event-stream');
    expect(sseMessages(await logged.text())[0]).toMatchObject({ method: 'notifications/message', params: { level: 'info' } });

    const setLevel = await post({ jsonrpc: '2.0', id: 21, method: 'logging/setLevel', params: { level: 'warning' } });
    expect(await setLevel.text()).toContain('"result":{}');
    const quiet = await post({ jsonrpc: '2.0', id: 22, method: 'tools/call', params: { name: 'raw__log', arguments: {} } });
    expect(quiet.headers.get('content-type')).toBe('application/json');
    expect(((await quiet.json()) as { result: { content: Array<{ text: string }> } }).result.content[0]!.text).toBe('logged');

    const bad = await post({ jsonrpc: '2.0', id: 23, method: 'logging/setLevel', params: { level: 'verbose' } });
    // The SDK validates the level itself and answers with the allowed values.
    const refusal = await bad.text();
    expect(refusal).toContain('"error"');
    expect(refusal).toContain('emergency');
    await post({ jsonrpc: '2.0', id: 24, method: 'logging/setLevel', params: { level: 'debug' } });
  });

  it('leaves unusual requests to the SDK path, which answers them properly', async () => {
    const res = await post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 42 } });
    const body = await res.text();
    expect(body).toContain('"id":7');
    expect(body).toContain('-32602');
  });
});
