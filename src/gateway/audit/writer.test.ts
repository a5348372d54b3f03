// The writer builds the rows of the records of each `buildMs` together, whether or not a stream
// listens, and lets go of the calls' records then (it does not hold arguments and results for a
// whole batch window); rows reach the store only at the flush, in record order.
import { describe, expect, it } from 'vitest';
import type { AuditCallFields, AuditRow } from './row.js';
import type { AuditStore } from './store.js';
import { AuditWriter, BUILD_RECORDS, DEFAULT_BUILD_MS } from './writer.js';

type Call = { n: number };
const fields = (call: Call): AuditCallFields => ({
  method: 'tools/call',
  timestamp: new Date(0).toISOString(),
  session_id: 's1',
  client_type: null,
  model: null,
  downstream_instance_id: null,
  workspace_id: null,
  workspace_name: null,
  subpath: null,
  tool_name: 'ev__echo',
  route_rule_id: null,
  downstream_server_id: null,
  auth_scope_id: null,
  status: 'success',
  error_code: null,
  error_message: null,
  latency_ms: 1,
  response_size: 2,
  cache_hit: false,
  args: { n: call.n, api_key: 'secret-value' },
  approval_id: null,
});

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('AuditWriter', () => {
  it('builds the rows of a build window together with nobody listening, holds no call record after it, and stores them at the flush', async () => {
    const stored: AuditRow[] = [];
    const store = { insert: async (rows: readonly AuditRow[]) => void stored.push(...rows) } as unknown as AuditStore;
    const published: AuditRow[] = [];
    const described: Call[] = [];
    const writer = new AuditWriter<Call>({
      store,
      describe: (call) => (described.push(call), fields(call)),
      redactionFor: () => ({}),
      lastId: 100,
      publish: (row) => published.push(row),
      flushMs: 60_000, // no timer flush during the test
    });
    writer.record({ n: 1 });
    await nextTurn();
    writer.record({ n: 2 }); // another turn, the same window: built with the first
    expect(described).toHaveLength(0); // nothing on the call itself, nor at the next turn
    await sleep(DEFAULT_BUILD_MS + 10);
    expect(described.map((c) => c.n)).toEqual([1, 2]);
    expect(published.map((r) => r.id)).toEqual([101, 102]);
    expect(JSON.parse(published[0]!.params_redacted!)).toEqual({ n: 1, api_key: '[REDACTED]' });
    expect((writer as unknown as { pending: Call[] }).pending).toHaveLength(0); // the records are let go
    expect(stored).toHaveLength(0);
    await writer.flush();
    expect(stored.map((r) => r.id)).toEqual([101, 102]);
    await writer.close();
  });

  it('writes a full batch at once, counting the records built and not yet built', async () => {
    const batches: number[] = [];
    const store = { insert: async (rows: readonly AuditRow[]) => void batches.push(rows.length) } as unknown as AuditStore;
    const writer = new AuditWriter<Call>({
      store,
      describe: fields,
      redactionFor: () => ({}),
      lastId: 0,
      publish: () => undefined,
      flushMs: 60_000,
      batchSize: 5,
    });
    for (let n = 1; n <= 3; n++) writer.record({ n });
    await sleep(DEFAULT_BUILD_MS + 10); // three built, waiting for the window
    expect(batches).toEqual([]);
    writer.record({ n: 4 });
    writer.record({ n: 5 }); // five waiting: three built, two not
    await nextTurn();
    await nextTurn();
    expect(batches).toEqual([5]);
    await writer.close();
  });

  it('builds at the next turn once BUILD_RECORDS are waiting, without waiting for the build window', async () => {
    const described: Call[] = [];
    const store = { insert: async () => undefined } as unknown as AuditStore;
    const writer = new AuditWriter<Call>({
      store,
      describe: (call) => (described.push(call), fields(call)),
      redactionFor: () => ({}),
      lastId: 0,
      publish: () => undefined,
      flushMs: 60_000,
      buildMs: 60_000,
    });
    for (let n = 1; n < BUILD_RECORDS; n++) writer.record({ n });
    await nextTurn();
    expect(described).toHaveLength(0); // fewer: they wait for the window
    writer.record({ n: BUILD_RECORDS });
    await nextTurn();
    expect(described).toHaveLength(BUILD_RECORDS);
    await writer.close();
  });
});
