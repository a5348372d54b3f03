// The tool-call result cache on a real gateway (issue 17 "Caches"): a counting echo fixture over
// stdio (`counting-echo-server.mjs` logs every tools/call it receives, so a test counts exactly
// what reached the downstream and sees the arguments as forwarded), server-memory (a real
// mutation invalidating a real read) and server-everything (readOnlyHint tools), through real
// SDK clients on /mcp, with `GET /cache/stats`, `POST /cache/flush` and `mcpx__flush_cache`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RecordingSink } from '../helpers/call-records.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp } from '../helpers/mcp.js';
import { connectClient, resultText, rpcError, type McpClient } from '../helpers/original-harness.js';

const COUNTING = fileURLToPath(new URL('../fixtures/counting-echo-server.mjs', import.meta.url));

let t: TestGateway;
let client: McpClient;
const sink = new RecordingSink();
const scratch = mkdtempSync(path.join(tmpdir(), 'mcplexer-cache-'));
const logFile = path.join(scratch, 'calls.jsonl');
const otherLog = path.join(scratch, 'other.jsonl');
let ceId: string;
let otherId: string;

type Result = { content?: Array<{ text?: string }>; isError?: boolean; _meta?: Record<string, any> };

/** What reached the counting downstream: one entry per tools/call, in order. */
function reachedDownstream(file = logFile): Array<{ tool: string; args: Record<string, unknown> }> {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  } catch {
    return [];
  }
}
const countOf = (tool: string, file = logFile) => reachedDownstream(file).filter((c) => c.tool === tool).length;

const call = async (name: string, args: Record<string, unknown> = {}, c: McpClient = client) => (await c.client.callTool({ name, arguments: args })) as Result;
const answer = (result: Result) => JSON.parse(resultText(result)) as { tool: string; args: Record<string, unknown>; n: number };
const stats = async () => (await t.api('GET', '/cache/stats')).body;

function countingBody(namespace: string, log: string, extra: Record<string, unknown> = {}) {
  return { name: `Counting ${namespace}`, namespace, command: process.execPath, args: [COUNTING, `--log=${log}`], ...extra };
}

beforeAll(async () => {
  t = await startTestGateway({ callRecords: sink });
  ceId = (await addServer(t, countingBody('ce', logFile))).id;
  otherId = (await addServer(t, countingBody('other', otherLog))).id;
  for (const id of [ceId, otherId]) expect((await t.api('POST', `/downstreams/${id}/discover`)).status).toBe(200);
  client = await connectClient(t, { dir: scratch });
});
afterAll(async () => {
  await client?.close().catch(() => undefined);
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  expect((await t.api('POST', '/cache/flush', {})).body).toEqual({ status: 'flushed' });
  writeFileSync(logFile, '');
  writeFileSync(otherLog, '');
});

describe('what is cached', () => {
  it('a readOnlyHint tool called twice reaches the downstream once; the hit has the same answer', async () => {
    const first = await call('ce__lookup', { q: 'a' });
    const second = await call('ce__lookup', { q: 'a' });
    expect(countOf('lookup')).toBe(1);
    expect(answer(second)).toEqual(answer(first));
    expect(sink.records.at(-1)).toMatchObject({ name: 'ce__lookup', cacheHit: true, status: 'success' });
    expect(sink.records.at(-2)).toMatchObject({ name: 'ce__lookup', cacheHit: false, status: 'success' });
  });

  it('a tool neither read-only nor matching a cacheable pattern reaches the downstream every time', async () => {
    await call('ce__compute', { q: 'a' });
    await call('ce__compute', { q: 'a' });
    await call('ce__lookup_plain', { q: 'a' });
    await call('ce__lookup_plain', { q: 'a' });
    expect(countOf('compute')).toBe(2);
    expect(countOf('lookup_plain')).toBe(2);
    expect(sink.records.at(-1)).toMatchObject({ cacheHit: false });
  });

  it('patterns test the un-namespaced name and every suffix after "_"; a bare word matches "<word>_*"', async () => {
    for (const tool of ['get_item', 'clickup_get_task', 'search']) {
      await call(`ce__${tool}`, { q: 1 });
      await call(`ce__${tool}`, { q: 1 });
      expect(countOf(tool), tool).toBe(1);
    }
    // readOnlyHint does not make a name with a mutation pattern (a suffix: delete_thing) cacheable
    await call('ce__readonly_delete_thing', { q: 1 });
    await call('ce__readonly_delete_thing', { q: 1 });
    expect(countOf('readonly_delete_thing')).toBe(2);
  });

  it('the argument key order does not matter; their values do', async () => {
    await call('ce__get_item', { a: 1, b: { x: 1, y: [1, 2] } });
    await call('ce__get_item', { b: { y: [1, 2], x: 1 }, a: 1 });
    expect(countOf('get_item')).toBe(1);
    await call('ce__get_item', { a: 1, b: { x: 1, y: [2, 1] } });
    await call('ce__get_item', { a: '1', b: { x: 1, y: [1, 2] } });
    expect(countOf('get_item')).toBe(3);
  });

  it('results with isError: true and JSON-RPC errors are never cached', async () => {
    const a = await call('ce__get_tool_error', { q: 1 });
    const b = await call('ce__get_tool_error', { q: 1 });
    expect([a.isError, b.isError]).toEqual([true, true]);
    expect([answer(a).n, answer(b).n]).toEqual([1, 2]);
    expect(b._meta?.cache).toEqual({ cached: false });
    const e1 = await rpcError(call('ce__get_rpc_error', { q: 1 }));
    const e2 = await rpcError(call('ce__get_rpc_error', { q: 1 }));
    expect(e1.message).toContain('rpc error number 1');
    expect(e2.message).toContain('rpc error number 2');
    expect(countOf('get_tool_error')).toBe(2);
    expect(countOf('get_rpc_error')).toBe(2);
    expect((await stats()).tool_call.entries).toBe(0);
  });
});

describe('invalidation', () => {
  it('a successful mutation (a mutation pattern, or any tool not cacheable) drops the server + scope; a failed one does not', async () => {
    await call('ce__lookup', { q: 'm' });
    await call('other__lookup', { q: 'm' });
    await call('ce__create_tool_error', {}); // isError: no invalidation
    await rpcError(call('ce__delete_rpc_error', {})); // JSON-RPC error: no invalidation
    await call('ce__lookup', { q: 'm' });
    expect(countOf('lookup')).toBe(1);

    await call('ce__create_item', { name: 'x' });
    await call('ce__lookup', { q: 'm' });
    expect(countOf('lookup')).toBe(2);
    await call('ce__compute', {}); // not cacheable: a mutation too
    await call('ce__lookup', { q: 'm' });
    expect(countOf('lookup')).toBe(3);
    // the other server's entry was never touched
    await call('other__lookup', { q: 'm' });
    expect(countOf('lookup', otherLog)).toBe(1);
  });
});

describe('_cache_bust and _meta.cache', () => {
  it('_cache_bust: true skips the lookup and refreshes the entry; _cache_bust is never forwarded', async () => {
    const first = await call('ce__lookup', { q: 'b' });
    const busted = await call('ce__lookup', { q: 'b', _cache_bust: true });
    expect(answer(first).n + 1).toBe(answer(busted).n);
    expect(busted._meta?.cache).toEqual({ cached: false });
    const after = await call('ce__lookup', { q: 'b' });
    expect(after._meta?.cache).toMatchObject({ cached: true });
    expect(answer(after).n).toBe(answer(busted).n); // the refreshed entry
    await call('ce__lookup', { q: 'b', _cache_bust: false });
    expect(reachedDownstream().map((c) => c.args)).toEqual([{ q: 'b' }, { q: 'b' }]);
    await call('ce__compute', { q: 'c', _cache_bust: true });
    expect(reachedDownstream().at(-1)).toEqual({ tool: 'compute', args: { q: 'c' } });
  });

  it('every result carries _meta.cache merged into its own _meta: cached false on a miss, true with age_seconds on a hit', async () => {
    const miss = await call('ce__lookup', { q: 'meta' });
    expect(miss._meta).toEqual({ 'fixture/own': 'kept', cache: { cached: false } });
    const hit = await call('ce__lookup', { q: 'meta' });
    expect(hit._meta).toEqual({ 'fixture/own': 'kept', cache: { cached: true, age_seconds: 0 } });
    const uncacheable = await call('other__compute', {}); // (on ce, this mutation would drop the entry)
    expect(uncacheable._meta).toEqual({ 'fixture/own': 'kept', cache: { cached: false } });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const older = await call('ce__lookup', { q: 'meta' });
    expect(older._meta?.cache).toEqual({ cached: true, age_seconds: 1 });
  });
});

describe('single-flight', () => {
  it('identical concurrent misses share one downstream call', async () => {
    const before = await stats();
    const results = await Promise.all([1, 2, 3].map(() => call('ce__get_slow', { delay_ms: 300, k: 1 })));
    expect(countOf('get_slow')).toBe(1);
    expect(new Set(results.map((r) => answer(r).n))).toEqual(new Set([1]));
    for (const r of results) expect(r._meta?.cache).toEqual({ cached: false });
    const after = await stats();
    expect(after.tool_call.misses - before.tool_call.misses).toBe(3);
    expect(after.tool_call.entries).toBe(1);
  });
});

describe('every path shares the one cache', () => {
  it('a 2026-era client gets the answer a 2025-era client stored, and _cache_bust is stripped there too', async () => {
    const modern = await connectHttp(t, { modern: true, headers: { 'X-MCPlexer-Workspace': scratch } });
    try {
      expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const stored = await call('ce__lookup', { era: 1 });
      const hit = (await modern.callTool({ name: 'ce__lookup', arguments: { era: 1 } })) as Result;
      expect(hit._meta?.cache).toEqual({ cached: true, age_seconds: 0 });
      expect(answer(hit)).toEqual(answer(stored));
      const busted = (await modern.callTool({ name: 'ce__lookup', arguments: { era: 1, _cache_bust: true } })) as Result;
      expect(busted._meta?.cache).toEqual({ cached: false });
      expect(reachedDownstream().map((c) => c.args)).toEqual([{ era: 1 }, { era: 1 }]);
    } finally {
      await modern.close();
    }
  });
});
