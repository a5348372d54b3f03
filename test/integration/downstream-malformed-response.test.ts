// A stdio downstream that answers a call with a malformed JSON-RPC line carrying the call's id (a
// response with neither result nor error, a wrong "jsonrpc", or a result that is not an object:
// `"result": null` waited out the call timeout, a chaos trial) fails that call at once with
// `downstream_error`, naming the server and what came, instead of waiting out the call timeout for
// an answer that already came; one record in the audit says the same. A line that is not JSON at
// all names no request: its call still ends with the timeout. The connection keeps serving.
// Found by the chaos load suite (test/load/chaos.load.test.ts), with test/fixtures/chaos-server.mjs.
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rejection, text } from '../helpers/mcp.js';

const CHAOS = fileURLToPath(new URL('../fixtures/chaos-server.mjs', import.meta.url));
let t: TestGateway;
let client: Client;

beforeAll(async () => {
  t = await startTestGateway();
  // Long enough that an answer "at once" cannot be the timeout.
  await addServer(t, { name: 'Chaos Garbler', namespace: 'garble', command: process.execPath, args: [CHAOS], call_timeout_sec: 20 });
  client = await connectHttp(t);
});
afterAll(async () => {
  await client?.close();
  await t?.close();
});

async function auditOf(n: number): Promise<Array<{ status: string; error_code: string | null }>> {
  const find = async () => {
    const page = await t.api('GET', '/audit?tool_name=garble__work&limit=500');
    return (page.body.data as Array<{ params_redacted: { n: number }; status: string; error_code: string | null }>).filter((r) => r.params_redacted.n === n);
  };
  await waitFor(async () => (await find()).length > 0, 5_000);
  return (await find()).map(({ status, error_code }) => ({ status, error_code }));
}

describe('a malformed answer from a stdio downstream', () => {
  // n selects the kind (chaos-server.mjs): 106 and 1306 → an object with the id but neither result nor error; 206 → "jsonrpc": "1.0"; 306 → "result": null.
  it.each([
    [106, 'neither a request, a notification nor a response'],
    [206, 'not a JSON-RPC 2.0 message'],
    [306, 'its result is not an object'],
    [1306, 'neither a request, a notification nor a response'],
  ])('n=%i: fails the call at once with downstream_error naming the server and what came', async (n, reason) => {
    const started = Date.now();
    const error = await rejection(client.callTool({ name: 'garble__work', arguments: { n, mode: 'malformed' } }));
    expect(Date.now() - started).toBeLessThan(15_000); // the timeout is 20 s
    expect(error.data).toEqual({ code: 'downstream_error' });
    expect(error.message).toContain('"Chaos Garbler"');
    expect(error.message).toContain(`malformed JSON-RPC message (${reason})`);
    expect(error.message).toContain(`"id":`);
    expect(await auditOf(n)).toEqual([{ status: 'error', error_code: 'downstream_error' }]);
    expect(text(await client.callTool({ name: 'garble__work', arguments: { n: n + 1, mode: 'ok' } }))).toMatch(new RegExp(`^work ${n + 1} ok pid \\d+$`));
  });

  it('a line that is not JSON names no call: that call ends with the timeout, the others are served', async () => {
    await addServer(t, { name: 'Chaos Cutter', namespace: 'cut', command: process.execPath, args: [CHAOS], call_timeout_sec: 1 });
    const error = await rejection(client.callTool({ name: 'cut__work', arguments: { n: 6, mode: 'malformed' } }));
    expect(error.data).toEqual({ code: 'timeout' });
    expect(error.message).toContain('"Chaos Cutter"');
    expect(text(await client.callTool({ name: 'cut__work', arguments: { n: 7 } }))).toMatch(/^work 7 ok pid \d+$/);
  });
});
