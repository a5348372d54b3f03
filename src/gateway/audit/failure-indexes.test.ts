// Migration 0004: the indexes that serve failures (status, error_code, workspace × status × time)
// hold only rows that did not succeed. What must stay true: every filter's total and page equal a
// count row by row (status=success alone is answered as "all minus the indexed others"), the
// failure filters still walk their index, and a trail written under 0003 migrates with its rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRow } from '../../../test/helpers/audit-rows.js';
import { openStorage, type Storage } from '../storage/index.js';
import type { AuditRow } from './row.js';
import { auditMigrations, type AuditDatabase } from './schema.js';
import { filtered, SqliteAuditStore } from './sqlite-store.js';
import type { AuditFilter } from './store.js';

let dir: string;
const file = () => path.join(dir, 'audit.db');
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-audit-idx-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const STATUSES = ['success', 'success', 'success', 'error', 'blocked'] as const;
function row(id: number): AuditRow {
  const status = STATUSES[id % STATUSES.length]!;
  return auditRow(id, {
    session_id: `s${id % 3}`,
    workspace_id: `w${id % 2}`,
    tool_name: id % 2 ? 'github__get_issue' : 'fs__read_file',
    status,
    error_code: status === 'success' ? null : status === 'error' ? 'tool_error' : 'denied',
  });
}

const FILTERS: AuditFilter[] = [
  {},
  { status: 'success' },
  { status: 'error' },
  { status: 'blocked' },
  { error_code: 'denied' },
  { workspace_id: 'w1', status: 'success' },
  { workspace_id: 'w0', status: 'error', after: '2026-01-01T00:00:20.000Z' },
  { session_id: 's2', status: 'blocked' },
  { tool_name: 'fs__*', status: 'success', before: '2026-01-01T00:00:40.000Z' },
];

function matches(r: AuditRow, f: AuditFilter): boolean {
  return (
    (f.status === undefined || r.status === f.status) &&
    (f.error_code === undefined || r.error_code === f.error_code) &&
    (f.workspace_id === undefined || r.workspace_id === f.workspace_id) &&
    (f.session_id === undefined || r.session_id === f.session_id) &&
    (f.tool_name === undefined || r.tool_name.startsWith(f.tool_name.replace('*', ''))) &&
    (f.after === undefined || r.timestamp >= f.after) &&
    (f.before === undefined || r.timestamp <= f.before)
  );
}

async function expectTotals(store: SqliteAuditStore, rows: AuditRow[]): Promise<void> {
  for (const filter of FILTERS) {
    const expected = rows.filter((r) => matches(r, filter)).sort((a, b) => b.id - a.id);
    const page = await store.query(filter, 5, 0);
    expect({ filter, total: page.total, ids: page.rows.map((r) => r.id) }).toEqual({
      filter,
      total: expected.length,
      ids: expected.slice(0, 5).map((r) => r.id),
    });
  }
}

async function plan(storage: Storage<AuditDatabase>, filter: AuditFilter): Promise<string> {
  const compiled = filtered(storage.db.selectFrom('audit_records'), filter).selectAll().orderBy('id', 'desc').limit(50).compile();
  const result = await storage.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]));
  return result.rows.map((r) => r.detail).join(' | ');
}

describe('audit failure indexes (migration 0004)', () => {
  it('every filter total equals a count row by row, after inserts, deletes and a reopen', async () => {
    let storage = await openStorage<AuditDatabase>(file(), auditMigrations('sqlite'));
    let store = new SqliteAuditStore(storage);
    let rows = Array.from({ length: 60 }, (_, i) => row(i + 1));
    await store.insert(rows.slice(0, 30));
    await store.query({}, 1, 0); // the kept row count starts here; the next insert must add to it
    await store.insert(rows.slice(30));
    await expectTotals(store, rows);
    await store.deleteOldest(7);
    rows = rows.slice(7);
    await expectTotals(store, rows);
    await store.close();
    storage = await openStorage<AuditDatabase>(file(), auditMigrations('sqlite'));
    store = new SqliteAuditStore(storage);
    await expectTotals(store, rows);
    await store.close();
  });

  it('successful rows are left out of the failure indexes, which the failure filters still walk', async () => {
    const storage = await openStorage<AuditDatabase>(file(), auditMigrations('sqlite'));
    const store = new SqliteAuditStore(storage);
    await store.insert(Array.from({ length: 50 }, (_, i) => row(i + 1)));
    const entries = async (index: string) =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from audit_records indexed by ${sql.raw(index)} where status <> 'success'`.execute(storage.db)).rows[0]!
          .n,
      );
    expect(await entries('audit_records_status')).toBe(20); // the 20 errors and blocks of 50
    const indexSql = await sql<{
      name: string;
      sql: string;
    }>`select name, sql from sqlite_master where type = 'index' and name in ('audit_records_status', 'audit_records_error_code', 'audit_records_workspace_status_time')`.execute(
      storage.db,
    );
    expect(indexSql.rows).toHaveLength(3);
    for (const index of indexSql.rows) expect(index.sql).toMatch(/ where /i);
    expect(await plan(storage, { status: 'error' })).toContain('audit_records_status');
    expect(await plan(storage, { error_code: 'denied' })).toContain('audit_records_error_code');
    expect(await plan(storage, { workspace_id: 'w0', status: 'blocked', after: '2026-01-01T00:00:00.000Z' })).toMatch(
      /audit_records_(workspace_status_time|status)/,
    );
    await store.close();
  });

  it('a trail written before 0004 migrates with its rows, and its totals stay right', async () => {
    const { '0004_audit_failure_indexes': _later, ...before } = auditMigrations('sqlite');
    const old = new SqliteAuditStore(await openStorage<AuditDatabase>(file(), before));
    const rows = Array.from({ length: 40 }, (_, i) => row(i + 1));
    await old.insert(rows);
    await old.close();
    const storage = await openStorage<AuditDatabase>(file(), auditMigrations('sqlite'));
    const store = new SqliteAuditStore(storage);
    await expectTotals(store, rows);
    const index = await sql<{ sql: string }>`select sql from sqlite_master where name = 'audit_records_status'`.execute(storage.db);
    expect(index.rows[0]!.sql).toMatch(/where/i);
    await store.close();
  });
});
