// The lean path honours SSE write backpressure: a client that stops reading while a tool sends
// thousands of progress and log messages costs the gateway a bounded queue (progress coalesced
// to the latest, log messages beyond the bound dropped and counted), and the call completes with
// every vital message once the client reads again. Spoken over raw HTTP so reading can stop.
import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, rawBody } from '../helpers/mcp.js';

let t: TestGateway;
let sessionId: string;
let rawId: string;
const ACCEPT = 'application/json, text/event-stream';

function headers(): Record<string, string> {
  return {
    authorization: `Bearer ${t.token}`,
    'content-type': 'application/json',
    accept: ACCEPT,
    'mcp-session-id': sessionId,
    'mcp-protocol-version': '2025-11-25',
  };
}

async function post(body: unknown): Promise<Response> {
  return fetch(`${t.url}/mcp`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
}

beforeAll(async () => {
  t = await startTestGateway();
  rawId = (await addServer(t, rawBody('raw'))).id;
  const init = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: ACCEPT },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'slow-reader', version: '1' } },
    }),
  });
  sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
}, 30_000);
afterAll(async () => t?.close());

describe('a client that stops reading its SSE stream', () => {
  it.each([
    [6000, 2000],
    [3000, 4000],
  ])(
    'keeps the queue bounded for %i progress+log pairs of %i bytes and completes once reading resumes',
    async (count, size) => {
      const { port } = new URL(t.url);
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'raw__flood', arguments: { count, size }, _meta: { progressToken: 'p' } },
      });
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/mcp', headers: headers() }, resolve);
        req.on('error', reject);
        req.end(body);
      });
      res.pause();
      expect(res.headers['content-type']).toBe('text/event-stream');
      // The downstream finishes its side (the result reached the gateway) while nobody reads.
      const health = async () => (await t.api('GET', '/health')).body.downstreams.find((d: { server_id: string }) => d.server_id === rawId);
      await waitFor(async () => (await health())?.instances.every((i: { in_flight: number }) => i.in_flight === 0), 30_000);

      const text = await new Promise<string>((resolve) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.resume();
      });
      const messages = text
        .split('\n\n')
        .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
        .filter((line): line is string => line !== undefined)
        .map((line) => JSON.parse(line.slice(6)) as Record<string, any>);
      const logs = messages.filter((m) => m.method === 'notifications/message');
      const progress = messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress);
      expect(messages.at(-1)).toMatchObject({ id: 9, result: { content: [{ text: `flooded ${count}` }] } });
      expect(logs.length).toBeLessThan(count); // the ones beyond the bound were dropped, not buffered
      expect(progress.length).toBeLessThan(count); // coalesced while the reader was away
      expect(progress.at(-1)).toBe(count); // … to the latest
      expect(progress).toEqual([...progress].sort((x, y) => x - y));
    },
    60_000,
  );
});
