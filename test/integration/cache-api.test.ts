// The caches' REST and MCP faces on a real gateway (issue 17 "Caches"): per-server cache_config
// (defaults, validation, a change applied at once), GET /cache/stats with exact numbers for both
// layers, POST /cache/flush by layer and by server, mcpx__flush_cache, and real servers
// (server-memory: a real mutation drops a real read; server-everything: readOnlyHint tools).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RecordingSink } from '../helpers/call-records.js';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, everythingStdioBody, memoryBody } from '../helpers/mcp.js';
import { connectClient, resultText, type McpClient } from '../helpers/original-harness.js';

const COUNTING = fileURLToPath(new URL('../fixtures/counting-echo-server.mjs', import.meta.url));

let t: TestGateway;
let client: McpClient;
const sink = new RecordingSink();
const scratch = mkdtempSync(path.join(tmpdir(), 'mcplexer-cache-api-'));
const logs = { ce: path.join(scratch, 'ce.jsonl'), small: path.join(scratch, 'small.jsonl') };
const cleanups: Array<() => void> = [];
let ceId: string;

type Result = { content?: Array<{ text?: string }>; isError?: boolean; _meta?: Record<string, any> };
const count = (file: string, tool: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .filter((line) => JSON.parse(line).tool === tool).length;
const call = async (name: string, args: Record<string, unknown> = {}) => (await client.client.callTool({ name, arguments: args })) as Result;
const stats = async () => (await t.api('GET', '/cache/stats')).body;
const flush = (body?: unknown) => t.api('POST', '/cache/flush', body);
const cached = async (name: string, args: Record<string, unknown> = {}) => (await call(name, args))._meta?.cache?.cached as boolean;

/** UTF-8 bytes of a stored result: the answer the client got, without the `_meta.cache` the gateway added. */
function storedBytes(result: Record<string, unknown>): number {
  const copy = structuredClone(result) as Result;
  delete copy._meta!.cache;
  return Buffer.byteLength(JSON.stringify(copy), 'utf8');
}

async function addCounting(namespace: string, log: string, extra: Record<string, unknown> = {}): Promise<string> {
  writeFileSync(log, '');
  const { id } = await addServer(t, { name: `Counting ${namespace}`, namespace, command: process.execPath, args: [COUNTING, `--log=${log}`], ...extra });
  expect((await t.api('POST', `/downstreams/${id}/discover`)).status).toBe(200);
  return id;
}

beforeAll(async () => {
  t = await startTestGateway({ callRecords: sink });
  ceId = await addCounting('ce', logs.ce);
  client = await connectClient(t, { dir: scratch });
});
afterAll(async () => {
  await client?.close().catch(() => undefined);
  await t?.close();
  for (const cleanup of cleanups) cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('GET /cache/stats', () => {
  it('starts at zero (hit_rate 0 with no lookups), then counts exactly: hits, misses, entries, hit_rate, bytes', async () => {
    const empty = { hits: 0, misses: 0, evictions: 0, entries: 0, hit_rate: 0, bytes: 0 };
    const initial = await stats();
    expect(initial.tool_call).toEqual(empty);
    expect(Object.keys(initial.route_resolution).sort()).toEqual(Object.keys(empty).sort());
    expect(initial.route_resolution.bytes).toBe(0);

    const from = sink.records.length;
    await call('ce__lookup', { s: 1 }); // miss
    await call('ce__lookup', { s: 1 }); // hit
    await call('ce__get_item', { s: 2 }); // miss
    await call('ce__compute', { s: 3 }); // not cacheable: no lookup; a mutation that drops both entries
    await call('ce__lookup', { s: 1 }); // miss
    const records = sink.records.slice(from);
    expect(records.map((r) => r.cacheHit)).toEqual([false, true, false, false, false]);
    expect((await stats()).tool_call).toEqual({
      hits: 1,
      misses: 3,
      evictions: 0,
      entries: 1,
      hit_rate: 0.25,
      bytes: storedBytes(records[4]!.result!),
    });
  });

  it('counts evictions by max_entries and by expiry (read_ttl_sec), and the byte bound keeps bytes under max_bytes', async () => {
    await addCounting('small', logs.small, { cache_config: { max_entries: 2, read_ttl_sec: 1 } });
    await flush();
    const before = (await stats()).tool_call;
    for (const k of [1, 2, 3]) await call('small__get_item', { k });
    let now = (await stats()).tool_call;
    expect(now.evictions - before.evictions).toBe(1);
    expect(now.entries).toBe(2);
    expect(await cached('small__get_item', { k: 1 })).toBe(false); // evicted: the least recently used
    expect(count(logs.small, 'get_item')).toBe(4);
    now = (await stats()).tool_call;
    expect(now.evictions - before.evictions).toBe(2); // {k:1} came back and pushed {k:2} out
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await cached('small__get_item', { k: 3 })).toBe(false); // expired
    expect((await stats()).tool_call.evictions - before.evictions).toBe(3);

    await t.api('PUT', '/downstreams/small', { cache_config: { max_bytes: 1024 } });
    for (const k of [1, 2, 3, 4, 5, 6]) await call('small__get_item', { k, pad: 'x'.repeat(200) });
    const bounded = (await stats()).tool_call;
    expect(bounded.bytes).toBeLessThanOrEqual(1024);
    expect(bounded.entries).toBeLessThan(6);
    expect(bounded.entries).toBeGreaterThan(0);
  });

  it('route_resolution: lookups counted across config changes; any config write empties it', async () => {
    await call('ce__lookup', { r: 1 });
    const before = (await stats()).route_resolution;
    expect(before.entries).toBeGreaterThan(0);
    await call('ce__lookup', { r: 1 });
    const after = (await stats()).route_resolution;
    expect(after.hits).toBeGreaterThan(before.hits);
    expect(after.hit_rate).toBeCloseTo(after.hits / (after.hits + after.misses), 10);

    for (const write of [
      () => t.api('POST', '/workspaces', { name: 'cache-ws', root_path: path.join(scratch, 'ws') }),
      () => t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'nothing__*', policy: 'deny' }),
      () => t.api('PUT', '/settings', { tools_cache_ttl_sec: 20 }),
      () => t.api('PUT', `/downstreams/${ceId}`, { idle_timeout_sec: 301 }),
      () => t.api('POST', '/auth-scopes', { name: 'cache-scope', env_vars: { TOKEN: 'x' } }),
    ]) {
      await call('ce__lookup', { r: 1 });
      expect((await stats()).route_resolution.entries).toBeGreaterThan(0);
      expect((await write()).status).toBeLessThan(300);
      const flushed = (await stats()).route_resolution;
      expect(flushed.entries).toBe(0);
      expect(flushed.hits).toBeGreaterThanOrEqual(after.hits); // counters keep running
    }
  });
});

describe('POST /cache/flush', () => {
  beforeEach(async () => {
    await flush();
    writeFileSync(logs.ce, '');
  });

  it('layer route empties the route cache only; tool_call with server_id narrows to that server (id, name or namespace)', async () => {
    await call('ce__lookup', { f: 1 });
    await call('small__lookup', { f: 1 });
    expect((await flush({ layer: 'route' })).body).toEqual({ status: 'flushed' });
    expect((await stats()).route_resolution.entries).toBe(0);
    expect(await cached('ce__lookup', { f: 1 })).toBe(true);

    expect((await flush({ layer: 'tool_call', server_id: 'small' })).status).toBe(200);
    expect(await cached('small__lookup', { f: 1 })).toBe(false);
    expect(await cached('ce__lookup', { f: 1 })).toBe(true);
    expect((await flush({ layer: 'tool_call', server_id: ceId })).status).toBe(200);
    expect(await cached('ce__lookup', { f: 1 })).toBe(false);
    expect(await cached('small__lookup', { f: 1 })).toBe(true);
  });

  it('no body, {} and layer all flush both layers of every server', async () => {
    for (const body of [undefined, {}, { layer: 'all' }, { layer: 'tool_call' }]) {
      await call('ce__lookup', { f: 2 });
      await call('small__lookup', { f: 2 });
      const res = await flush(body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.body).toEqual({ status: 'flushed' });
      expect((await stats()).tool_call).toMatchObject({ entries: 0, bytes: 0 });
      if (body?.layer !== 'tool_call') expect((await stats()).route_resolution.entries).toBe(0);
    }
  });

  it('a bad layer is a 400 "invalid layer: use tool_call, route, or all" and flushes nothing; other bad bodies name their field', async () => {
    await call('ce__lookup', { f: 3 });
    for (const layer of ['routes', 'TOOL_CALL', '', 5, null]) {
      const res = await flush({ layer });
      expect(res.status, String(layer)).toBe(400);
      expect(res.body.error.message).toBe('invalid layer: use tool_call, route, or all');
      expect(errorPaths(res.body)).toEqual(['layer']);
    }
    const unknownServer = await flush({ layer: 'tool_call', server_id: 'no-such-server' });
    expect(unknownServer.status).toBe(404);
    expect(unknownServer.body.error.message).toContain('no-such-server');
    const extra = await flush({ layer: 'all', servers: 'x' });
    expect(extra.status).toBe(400);
    expect(errorPaths(extra.body)).toEqual(['servers']);
    expect(errorPaths((await flush({ server_id: '' })).body)).toEqual(['server_id']);
    expect((await flush([])).status).toBe(400);
    expect(await cached('ce__lookup', { f: 3 })).toBe(true);
    expect(count(logs.ce, 'lookup')).toBe(1);
  });
});

describe('mcpx__flush_cache', () => {
  it('is always listed, flushes one server by id, name or namespace, or all of them', async () => {
    expect(await client.toolNames()).toContain('mcpx__flush_cache');
    await call('ce__lookup', { m: 1 });
    await call('small__lookup', { m: 1 });
    const one = await call('mcpx__flush_cache', { server_id: 'small' });
    expect(resultText(one)).toBe(`Flushed the tool-call cache of "Counting small" (${(await t.api('GET', '/downstreams/small')).body.id}).`);
    expect(await cached('small__lookup', { m: 1 })).toBe(false);
    expect(await cached('ce__lookup', { m: 1 })).toBe(true);
    expect(resultText(await call('mcpx__flush_cache', {}))).toBe('Flushed the tool-call cache of every downstream server.');
    expect(await cached('ce__lookup', { m: 1 })).toBe(false);
    expect(await cached('small__lookup', { m: 1 })).toBe(false);
    // the route cache is left alone
    expect((await stats()).route_resolution.entries).toBeGreaterThan(0);
  });

  it('refuses an unknown or empty server_id, naming the field', async () => {
    for (const server_id of ['nope', '', 7]) {
      const failed = await client.client.callTool({ name: 'mcpx__flush_cache', arguments: { server_id } }).then(
        (result) => ({ text: resultText(result), isError: (result as Result).isError }),
        (error: Error) => ({ text: error.message, isError: true }),
      );
      expect(failed.isError, String(server_id)).toBe(true);
      expect(failed.text).toContain('server_id');
    }
  });
});

describe('cache_config', () => {
  it("a new server gets the original's defaults (plus max_bytes); a PUT stores the whole object, the fields left out at their defaults", async () => {
    const created = (await t.api('GET', `/downstreams/${ceId}`)).body;
    expect(created.cache_config).toEqual({
      enabled: true,
      read_ttl_sec: 1800,
      cacheable_patterns: ['get_*', 'list_*', 'search_*', 'read_*', 'fetch_*', 'query_*', 'find_*'],
      mutation_patterns: ['create_*', 'update_*', 'delete_*', 'send_*', 'post_*', 'put_*', 'set_*', 'add_*', 'remove_*'],
      invalidation_rules: [],
      max_entries: 1000,
      max_bytes: 16_777_216,
    });
    const rule = { mutation_pattern: 'create_*', invalidate_pattern: 'list_*' };
    const updated = await t.api('PUT', `/downstreams/${ceId}`, { cache_config: { read_ttl_sec: 0, invalidation_rules: [rule] } });
    expect(updated.status).toBe(200);
    expect(updated.body.cache_config).toEqual({ ...created.cache_config, read_ttl_sec: 0, invalidation_rules: [rule] });
    expect(t.readConfig().downstreams.find((s) => s.id === ceId)?.cache_config).toEqual(updated.body.cache_config);
  });

  it('bad values are a 400 naming the field, and change nothing', async () => {
    const before = t.configText();
    for (const [cache_config, field] of [
      [{ max_entries: 0 }, 'cache_config.max_entries'],
      [{ max_entries: 1.5 }, 'cache_config.max_entries'],
      [{ read_ttl_sec: 'soon' }, 'cache_config.read_ttl_sec'],
      [{ cacheable_patterns: [''] }, 'cache_config.cacheable_patterns.0'],
      [{ mutation_patterns: 'create_*' }, 'cache_config.mutation_patterns'],
      [{ invalidation_rules: [{ mutation_pattern: 'a_*' }] }, 'cache_config.invalidation_rules.0.invalidate_pattern'],
      [{ max_bytes: 10 }, 'cache_config.max_bytes'],
      [{ enable: true }, 'cache_config'],
    ] as const) {
      const res = await t.api('PUT', `/downstreams/${ceId}`, { cache_config });
      expect(res.status, JSON.stringify(cache_config)).toBe(400);
      expect(errorPaths(res.body).join(), JSON.stringify(cache_config)).toContain(field);
    }
    expect(t.configText()).toBe(before);
  });

  it('enabled: false stops caching at once and drops what the server had cached; custom patterns apply', async () => {
    writeFileSync(logs.ce, '');
    await call('ce__lookup', { c: 1 });
    expect(await cached('ce__lookup', { c: 1 })).toBe(true);
    await t.api('PUT', `/downstreams/${ceId}`, { cache_config: { enabled: false } });
    expect(await cached('ce__lookup', { c: 1 })).toBe(false);
    expect(await cached('ce__lookup', { c: 1 })).toBe(false);
    expect(count(logs.ce, 'lookup')).toBe(3);

    await t.api('PUT', `/downstreams/${ceId}`, { cache_config: { cacheable_patterns: ['compute'], mutation_patterns: ['lookup'] } });
    await call('ce__compute', { c: 2 });
    expect(await cached('ce__compute', { c: 2 })).toBe(true);
    expect(await cached('ce__get_item', { c: 2 })).toBe(false); // get_* is no longer cacheable here: a mutation
    expect(await cached('ce__compute', { c: 2 })).toBe(false);
  });
});

describe('real servers', () => {
  it('server-memory: read_graph is cached until create_entities (a mutation) succeeds', async () => {
    const memory = memoryBody('mem');
    cleanups.push(memory.cleanup);
    const { id } = await addServer(t, memory.body);
    expect((await t.api('POST', `/downstreams/${id}/discover`)).status).toBe(200);
    const first = await call('mem__read_graph');
    const second = await call('mem__read_graph');
    expect(second._meta?.cache).toEqual({ cached: true, age_seconds: 0 });
    expect(resultText(second)).toBe(resultText(first));
    await call('mem__create_entities', { entities: [{ name: 'cachetest', entityType: 'thing', observations: ['fresh'] }] });
    const third = await call('mem__read_graph');
    expect(third._meta?.cache).toEqual({ cached: false });
    expect(resultText(third)).toContain('cachetest');
  });

  it('server-everything: echo (readOnlyHint) is cached per message; get-sum by its hint too', async () => {
    const { id } = await addServer(t, everythingStdioBody('ev'));
    expect((await t.api('POST', `/downstreams/${id}/discover`)).status).toBe(200);
    expect(await cached('ev__echo', { message: 'one' })).toBe(false);
    expect(await cached('ev__echo', { message: 'one' })).toBe(true);
    expect(await cached('ev__echo', { message: 'two' })).toBe(false);
    const sum = await call('ev__get-sum', { a: 2, b: 3 });
    expect(resultText(sum)).toContain('5');
    expect(await cached('ev__get-sum', { b: 3, a: 2 })).toBe(true);
  });
});
