// Fault 2 of issue 14: one huge line on a child's stdout must not stall the gateway. Framing is
// linear, and a message over `max_message_bytes` (default 32 MiB) fails the call in flight with an
// error naming the server, the size and the setting; the server is stopped and the next call starts
// it again. Health, polled over real HTTP meanwhile, stays responsive.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, downstreamPid, rawBody, rejection, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
let serverId: string;
beforeAll(async () => {
  t = await startTestGateway();
  serverId = (await addServer(t, rawBody('big', [], { name: 'Big Talker' }))).id;
  client = await connectHttp(t);
});
afterAll(async () => {
  await client?.close();
  await t?.close();
});

/** Polls health until `done` settles; resolves with the slowest answer (ms) and the number of polls. */
async function pollHealth(done: Promise<unknown>): Promise<{ slowest: number; polls: number }> {
  let finished = false;
  void done.then(
    () => (finished = true),
    () => (finished = true),
  );
  let slowest = 0;
  let polls = 0;
  while (!finished) {
    const began = performance.now();
    const res = await fetch(`${t.url}/api/v1/health`);
    await res.json();
    slowest = Math.max(slowest, performance.now() - began);
    polls++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { slowest, polls };
}

describe('a message over max_message_bytes', () => {
  it.each([
    ['a 50 MB line in one write', { bytes: 50 * 1024 * 1024 }],
    ['a 40 MB line in 16 KB writes with no newline', { bytes: 40 * 1024 * 1024, chunk: 16 * 1024 }],
  ])('%s: the call fails naming the server, the size and the setting; health stays responsive; the next call works', async (_name, args) => {
    await client.callTool({ name: 'big__echo', arguments: { message: 'warm' } });
    const before = await downstreamPid(t, serverId);
    const call = rejection(client.callTool({ name: 'big__big', arguments: args }, { timeout: 120_000 }));
    const health = await pollHealth(call);
    const error = await call;
    expect(error.code).toBe(-32004);
    expect(error.message).toContain('Big Talker');
    expect(error.message).toContain('more than 33554432 bytes');
    expect(error.message).toContain('max_message_bytes');
    expect(health.polls).toBeGreaterThan(0);
    // Generous for 2 shared cores; the old reader took 1–2.7 s per answer here.
    expect(health.slowest).toBeLessThan(750);
    expect(text(await client.callTool({ name: 'big__echo', arguments: { message: 'after' } }))).toBe('Echo: after');
    const after = await downstreamPid(t, serverId);
    expect(after).toBeGreaterThan(0);
    expect(after).not.toBe(before);
  });

  it('delivers a big message under the limit, and follows the setting when it is lowered', async () => {
    const big = await client.callTool({ name: 'big__big', arguments: { bytes: 3 * 1024 * 1024 } });
    expect(text(big).length).toBeGreaterThan(3 * 1024 * 1024 - 200);
    expect((await t.api('PUT', '/settings', { max_message_bytes: 1024 * 1024 })).status).toBe(200);
    try {
      const error = await rejection(client.callTool({ name: 'big__big', arguments: { bytes: 2 * 1024 * 1024 } }));
      expect(error.message).toContain('more than 1048576 bytes');
      expect(error.message).toContain('max_message_bytes');
      expect(text(await client.callTool({ name: 'big__echo', arguments: { message: 'again' } }))).toBe('Echo: again');
    } finally {
      await t.api('PUT', '/settings', { max_message_bytes: 32 * 1024 * 1024 });
    }
  });
});
