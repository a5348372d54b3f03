// The lean request path on a real stdio downstream through the real gateway, seen on the wire by a
// server that records every line it reads: tools/call goes out with an id in the lean range and its
// answer comes back; a call that outlives the server's call_timeout_sec is a `timeout` and the
// server is told `notifications/cancelled` for that very id; a client that cancels its call
// cancels it downstream too; the SDK client's handshake keeps the SDK's ids.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAN_ID_BASE } from '../../src/gateway/downstream/lean-requests.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp } from '../helpers/mcp.js';

const RECORDING = fileURLToPath(new URL('../fixtures/recording-server.mjs', import.meta.url));
let t: TestGateway;
let client: Client;
let dir: string;
let log: string;
const lines = (): Array<Record<string, any>> =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-lean-'));
  log = path.join(dir, 'wire.jsonl');
  writeFileSync(log, '');
  t = await startTestGateway();
  const { id } = await addServer(t, { name: 'Recording', namespace: 'rec', command: process.execPath, args: [RECORDING, `--log=${log}`], call_timeout_sec: 1 });
  expect((await t.api('POST', `/downstreams/${id}/discover`)).status).toBe(200);
  client = await connectHttp(t, { name: 'lean-it' });
}, 60_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('lean requests on a stdio downstream', () => {
  it('tools/call (and discovery’s lists) go out with ids in the lean range, answers come back; initialize keeps the SDK’s id', async () => {
    const result = await client.callTool({ name: 'rec__echo', arguments: { n: 7 } });
    expect(result.content).toEqual([{ type: 'text', text: '{"n":7}' }]);
    const calls = lines().filter((m) => m.method === 'tools/call');
    expect(calls.at(-1)).toMatchObject({ params: { name: 'echo', arguments: { n: 7 } } });
    expect(calls.at(-1)!.id).toBeGreaterThanOrEqual(LEAN_ID_BASE);
    const lists = lines().filter((m) => m.method === 'tools/list');
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list.id).toBeGreaterThanOrEqual(LEAN_ID_BASE);
    const initializes = lines().filter((m) => m.method === 'initialize');
    expect(initializes.length).toBeGreaterThan(0);
    for (const initialize of initializes) expect(initialize.id).toBeLessThan(LEAN_ID_BASE); // the SDK's handshake
  });

  it('a call past call_timeout_sec is a timeout naming the server, and the server is told to cancel that id', async () => {
    const error = (await client.callTool({ name: 'rec__hang', arguments: {} }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/"Recording" did not respond within 1 s/);
    const hang = lines()
      .filter((m) => m.method === 'tools/call' && m.params.name === 'hang')
      .at(-1)!;
    expect(hang.id).toBeGreaterThanOrEqual(LEAN_ID_BASE);
    await waitFor(() => lines().some((m) => m.method === 'notifications/cancelled' && m.params.requestId === hang.id));
    const records = await t.api('GET', '/audit?tool_name=rec__hang');
    expect(records.body.data[0]).toMatchObject({ status: 'error', error_code: 'timeout' });
  });

  it('a client that cancels its call cancels it downstream, for that id', async () => {
    const controller = new AbortController();
    const call = client.callTool({ name: 'rec__hang', arguments: { cancel: true } }, { signal: controller.signal }).catch((error: unknown) => error);
    const sent = await waitFor(() => lines().find((m) => m.method === 'tools/call' && m.params.arguments?.cancel === true));
    controller.abort('changed my mind');
    await call;
    await waitFor(() => lines().some((m) => m.method === 'notifications/cancelled' && m.params.requestId === sent!.id));
  });
});
