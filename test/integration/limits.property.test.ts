/**
 * Issue 21, the SSE subscriber limit (`max_sse_streams`, docs/limits.md): for any cap and any mix
 * of stream endpoints (GET /mcp on a session, /api/v1/events, /api/v1/approvals/stream,
 * /api/v1/audit/stream), exactly `cap` streams open; the next is refused with a 503 whose body
 * names the limit and the setting (a JSON-RPC error on /mcp); closing one makes room for another;
 * plain requests are never counted. Before the limit, streams were unbounded (each holds a socket,
 * a subscription and a timer).
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let session: string;

beforeAll(async () => {
  t = await startTestGateway();
  const init = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'limits', version: '1' } },
    }),
  });
  session = init.headers.get('mcp-session-id')!;
  await init.text();
});
afterAll(() => t?.close());

type Target = 'mcp' | 'events' | 'approvals' | 'audit';
const PATHS: Record<Target, string> = { mcp: '/mcp', events: '/api/v1/events', approvals: '/api/v1/approvals/stream', audit: '/api/v1/audit/stream' };

interface Opened {
  status: number;
  body: Promise<string>;
  close(): void;
}

/** Opens a GET stream; resolves at the answer's headers (the stream stays open until `close`). */
function open(target: Target): Promise<Opened> {
  const { hostname, port } = new URL(t.url);
  const headers: Record<string, string> = { authorization: `Bearer ${t.token}`, accept: 'text/event-stream' };
  if (target === 'mcp') Object.assign(headers, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' });
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request({ hostname, port, path: PATHS[target], headers, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      const body = new Promise<string>((done) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.on('close', () => done(Buffer.concat(chunks).toString('utf8')));
      });
      resolve({ status: res.statusCode ?? 0, body, close: () => req.destroy() });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end();
  });
}

const setCap = async (cap: number) => expect((await t.api('PUT', '/settings', { max_sse_streams: cap })).status).toBe(200);

describe('max_sse_streams', () => {
  it('opens exactly the cap, refuses the next naming the setting, and frees a place when one closes', async () => {
    const target = fc.constantFrom<Target>('mcp', 'events', 'approvals', 'audit');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(target, { minLength: 5, maxLength: 5 }), target, async (cap, targets, extra) => {
        await setCap(cap);
        // GET /mcp allows one stream per session (the SDK answers 409 to a second): at most one here.
        const mix = targets.slice(0, cap).map((x, i) => (x === 'mcp' && targets.slice(0, i).includes('mcp') ? 'events' : x));
        const opened: Opened[] = [];
        try {
          for (const x of mix) {
            const stream = await open(x);
            opened.push(stream);
            expect(stream.status, `${x} within the cap ${cap}`).toBe(200);
          }
          const refusedTarget = extra === 'mcp' && mix.includes('mcp') ? 'audit' : extra;
          const refused = await open(refusedTarget);
          expect(refused.status, `${refusedTarget} over the cap ${cap}`).toBe(503);
          const body = JSON.parse(await refused.body);
          const message = body.error.message;
          expect(message).toContain('max_sse_streams');
          expect(message).toContain(`(${cap})`);
          if (refusedTarget === 'mcp') expect(body.jsonrpc).toBe('2.0');
          // A plain request is not a stream: never refused by the cap.
          expect((await t.api('GET', '/health')).status).toBe(200);
          opened.shift()!.close();
          const again = await waitFor(async () => {
            const attempt = await open('events');
            if (attempt.status === 200) return attempt;
            attempt.close();
            return undefined;
          }, 5_000);
          expect(again?.status).toBe(200);
          opened.push(again!);
        } finally {
          for (const stream of opened) stream.close();
          // Every stream closed: the count is back to zero (a cap of 1 opens one).
          await setCap(1);
          const probe = await waitFor(async () => {
            const attempt = await open('events');
            attempt.close();
            return attempt.status === 200;
          }, 5_000);
          expect(probe).toBe(true);
        }
      }),
      { numRuns: 8 },
    );
  }, 60_000);
});
