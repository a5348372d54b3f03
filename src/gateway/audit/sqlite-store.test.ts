// The audit store and the approval store on a real audit.db in a temp dir (node-sqlite3-wasm
// through Kysely): filters, glob, inclusive times, paging, replay, retention, a reopen, and the
// approvals' conditional resolve.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalStore } from '../approvals/store.js';
import { openStorage } from '../storage/index.js';
import { SqliteApprovalStore, type ApprovalRow } from './approval-store-sqlite.js';
import { pruneAudit } from './retention.js';
import type { AuditRow } from './row.js';
import { auditMigrations, type AuditDatabase } from './schema.js';
import { globToLike, insertParams, ROW_COLUMNS, SqliteAuditStore } from './sqlite-store.js';

let dir: string;
const file = () => path.join(dir, 'audit.db');
const open = async () => openStorage<AuditDatabase>(file(), auditMigrations('sqlite'));

function row(id: number, over: Partial<AuditRow> = {}): AuditRow {
  return {
    id,
    method: 'tools/call',
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
    session_id: `s${id % 3}`,
    client_type: 'test',
    model: null,
    workspace_id: `w${id % 2}`,
    workspace_name: 'W',
    subpath: '',
    tool_name: id % 2 ? 'github__get_issue' : 'fs__read_file',
    params_redacted: '{}',
    route_rule_id: null,
    downstream_server_id: null,
    downstream_instance_id: null,
    auth_scope_id: null,
    status: id % 5 === 0 ? 'error' : 'success',
    error_code: null,
    error_message: null,
    latency_ms: 1.25,
    response_size: 10,
    cache_hit: 0,
    created_at: new Date().toISOString(),
    approval_id: null,
    ...over,
  };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-audit-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteAuditStore', () => {
  it('filters by each field, globs tool names, takes inclusive times, pages newest first with the total', async () => {
    const store = new SqliteAuditStore(await open());
    await store.insert(Array.from({ length: 20 }, (_, i) => row(i + 1)));
    const all = await store.query({}, 5, 0);
    expect(all.total).toBe(20);
    expect(all.rows.map((r) => r.id)).toEqual([20, 19, 18, 17, 16]);
    expect((await store.query({}, 5, 18)).rows.map((r) => r.id)).toEqual([2, 1]);
    expect((await store.query({ session_id: 's1' }, 50, 0)).rows.every((r) => r.session_id === 's1')).toBe(true);
    expect((await store.query({ workspace_id: 'w0' }, 50, 0)).total).toBe(10);
    expect((await store.query({ status: 'error' }, 50, 0)).rows.map((r) => r.id)).toEqual([20, 15, 10, 5]);
    expect((await store.query({ tool_name: 'github__get_issue' }, 50, 0)).total).toBe(10);
    expect((await store.query({ tool_name: 'github__*' }, 50, 0)).total).toBe(10);
    expect((await store.query({ tool_name: '*__read_?ile' }, 50, 0)).total).toBe(10);
    expect((await store.query({ tool_name: 'GITHUB__*' }, 50, 0)).total).toBe(0); // case-sensitive, as on PostgreSQL
    expect((await store.query({ tool_name: 'github%' }, 50, 0)).total).toBe(0); // LIKE's own wildcards are literal
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const window = await store.query({ after: t(5), before: t(7) }, 50, 0);
    expect(window.rows.map((r) => r.id)).toEqual([7, 6, 5]);
    await store.close();
  });

  it('writes every column of a row, each in its own place, and reads it back as written', async () => {
    // A distinct value in every column: a column missing from ROW_COLUMNS, or out of step with the
    // values, shows here as a wrong or missing field.
    const every = Object.fromEntries(Object.keys(row(1)).map((key, i) => [key, `${key}-${i}`])) as unknown as AuditRow;
    const written: AuditRow = { ...every, id: 7, latency_ms: 2.5, response_size: 42, cache_hit: 1 };
    expect([...ROW_COLUMNS].sort()).toEqual(Object.keys(written).sort());
    expect(insertParams([written])[0]).toEqual(ROW_COLUMNS.map((column) => written[column]));
    const store = new SqliteAuditStore(await open());
    await store.insert([written, row(8, { model: undefined as unknown as null })]); // an absent nullable value is stored as null
    const { rows } = await store.query({}, 10, 0);
    expect(rows).toEqual([row(8, { created_at: rows[0]!.created_at }), written]);
    await store.close();
  });

  it('globToLike escapes % _ and \\', () => {
    expect(globToLike('a_b%c\\*?')).toBe('a\\_b\\%c\\\\%_');
  });

  it('replays rows above an id, oldest first, filtered', async () => {
    const store = new SqliteAuditStore(await open());
    await store.insert(Array.from({ length: 10 }, (_, i) => row(i + 1)));
    expect((await store.since(6, {}, 100)).map((r) => r.id)).toEqual([7, 8, 9, 10]);
    expect((await store.since(0, { workspace_id: 'w1' }, 2)).map((r) => r.id)).toEqual([1, 3]);
    await store.close();
  });

  it('keeps its rows across a reopen, and a failed batch writes nothing', async () => {
    let store = new SqliteAuditStore(await open());
    await store.insert([row(1), row(2)]);
    await expect(store.insert([row(3), row(2)])).rejects.toThrow();
    await store.close();
    store = new SqliteAuditStore(await open());
    expect(await store.count()).toBe(2);
    expect(await store.maxId()).toBe(2);
    await store.insert([row(3)]);
    expect(await store.count()).toBe(3);
    await store.close();
  });

  it('a failed batch does not break the batches after it (the kept INSERT statement is not reused after a failure)', async () => {
    const store = new SqliteAuditStore(await open());
    await store.insert([row(1)]);
    // A duplicate id in the middle of a batch, then one at its start: each batch is refused whole,
    // and the valid batch right after each is written (same statement text, same store).
    await expect(store.insert([row(2), row(1), row(3)])).rejects.toThrow(/UNIQUE/);
    await store.insert([row(2), row(3)]);
    await expect(store.insert([row(1), row(5)])).rejects.toThrow(/UNIQUE/);
    await store.insert([row(4)]);
    expect((await store.query({}, 50, 0)).rows.map((r) => r.id)).toEqual([4, 3, 2, 1]);
    await store.close();
  });

  it('retention deletes records past audit_retention_days and the oldest beyond audit_max_mb', async () => {
    const store = new SqliteAuditStore(await open());
    const now = Date.UTC(2026, 5, 1);
    const old = (id: number, daysAgo: number) => row(id, { timestamp: new Date(now - daysAgo * 86_400_000).toISOString() });
    await store.insert([old(1, 40), old(2, 31), old(3, 29), old(4, 1)]);
    expect(await pruneAudit(store, { audit_retention_days: 30, audit_max_mb: 500 }, now)).toBe(2);
    expect((await store.query({}, 50, 0)).rows.map((r) => r.id)).toEqual([4, 3]);
    // About 3 MB of rows against a 1 MB bound: the oldest go until the rows fit.
    const big = 'x'.repeat(3000);
    await store.insert(
      Array.from({ length: 1000 }, (_, i) => row(100 + i, { timestamp: new Date(now).toISOString(), params_redacted: JSON.stringify({ big }) })),
    );
    expect(await store.usedBytes()).toBeGreaterThan(1024 * 1024);
    const deleted = await pruneAudit(store, { audit_retention_days: 30, audit_max_mb: 1 }, now);
    expect(deleted).toBeGreaterThan(600);
    expect(await store.usedBytes()).toBeLessThanOrEqual(1024 * 1024);
    const left = await store.query({}, 500, 0);
    expect(left.rows[0]!.id).toBe(1099); // the newest stay
    expect(left.total).toBe(await store.count());
    await store.close();
  });
});

function approval(id: string, over: Partial<ApprovalRow> = {}): ApprovalRow {
  return {
    id,
    status: 'pending',
    request_session_id: 'sess',
    request_client_type: 'claude-code',
    request_model: null,
    workspace_id: 'global',
    workspace_name: 'Global',
    tool_name: 'github__create_issue',
    arguments: { title: 'x', token: '[REDACTED]' },
    justification: 'needed',
    route_rule_id: 'r1',
    downstream_server_id: 'srv',
    auth_scope_id: null,
    approver_session_id: null,
    approver_type: null,
    resolution: null,
    timeout_sec: 300,
    created_at: new Date().toISOString(),
    resolved_at: null,
    ...over,
  };
}

describe('SqliteApprovalStore', () => {
  it('implements ApprovalStore: of two racing resolves exactly one wins', async () => {
    const storage = await open();
    const store: ApprovalStore = new SqliteApprovalStore(storage);
    await store.insert(approval('a1'));
    const at = new Date().toISOString();
    const results = await Promise.all([
      store.resolve('a1', { status: 'approved', approver_session_id: 'x', approver_type: 'dashboard', resolution: 'ok', resolved_at: at }),
      store.resolve('a1', { status: 'denied', approver_session_id: 'y', approver_type: 'mcp_agent', resolution: 'no', resolved_at: at }),
    ]);
    expect(results.sort()).toEqual([false, true]);
    const got = await store.get('a1');
    expect(got).toMatchObject({ status: 'approved', approver_type: 'dashboard', resolution: 'ok', arguments: { title: 'x', token: '[REDACTED]' } });
    expect(await store.resolve('a1', { status: 'denied', approver_session_id: null, approver_type: 'system', resolution: 'late', resolved_at: at })).toBe(
      false,
    );
    expect(await store.resolve('missing', { status: 'denied', approver_session_id: null, approver_type: 'system', resolution: 'x', resolved_at: at })).toBe(
      false,
    );
    await storage.close();
  });

  it('lists pending oldest first and history newest first; cancels pending at start; counts with the average wait', async () => {
    const storage = await open();
    const store = new SqliteApprovalStore(storage);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    await store.insert(approval('p1', { created_at: t(1) }));
    await store.insert(approval('p2', { created_at: t(2), workspace_id: 'w2' }));
    await store.insert(approval('p3', { created_at: t(3) }));
    await store.resolve('p3', { status: 'denied', approver_session_id: null, approver_type: 'dashboard', resolution: 'no', resolved_at: t(5) });
    expect((await store.list({ status: 'pending' })).map((a) => a.id)).toEqual(['p1', 'p2']);
    expect((await store.list({ status: 'pending', workspace_id: 'w2' })).map((a) => a.id)).toEqual(['p2']);
    expect((await store.list({})).map((a) => a.id)).toEqual(['p3', 'p2', 'p1']);
    expect((await store.list({ status: 'pending', limit: 1, offset: 1 })).map((a) => a.id)).toEqual(['p2']);
    expect(await store.cancelPending('server restart', t(11))).toBe(2);
    expect(await store.get('p1')).toMatchObject({ status: 'cancelled', approver_type: 'system', resolution: 'server restart', resolved_at: t(11) });
    expect(await store.counts()).toEqual({ pending: 0, approved: 0, denied: 1, timeout: 0, cancelled: 2, avg_wait_ms: Math.round((2000 + 10_000 + 9000) / 3) });
    await storage.close();
  });
});
