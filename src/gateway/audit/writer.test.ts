// The writer builds each record's row at the next turn of the event loop, whether or not a stream
// listens, and lets go of the call's record then (it does not hold arguments and results for a
// whole batch window); rows reach the store only at the flush, in record order.
import { describe, expect, it } from 'vitest';
import type { AuditCallFields, AuditRow } from './row.js';
import type { AuditStore } from './store.js';
import { AuditWriter } from './writer.js';

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

describe('AuditWriter', () => {
  it('builds rows at the next turn with nobody listening, holds no call record after it, and stores them at the flush', async () => {
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
    writer.record({ n: 2 });
    expect(described).toHaveLength(0); // nothing on the call itself
    await nextTurn();
    expect(described.map((c) => c.n)).toEqual([1, 2]);
    expect(published.map((r) => r.id)).toEqual([101, 102]);
    expect(JSON.parse(published[0]!.params_redacted!)).toEqual({ n: 1, api_key: '[REDACTED]' });
    expect((writer as unknown as { pending: Call[] }).pending).toHaveLength(0); // the records are let go
    expect(stored).toHaveLength(0);
    await writer.flush();
    expect(stored.map((r) => r.id)).toEqual([101, 102]);
    await writer.close();
  });
});
