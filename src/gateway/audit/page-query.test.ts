// GET /audit's page as a deferred join (`pageOf`): the page's ids from the filter's covering index,
// then those rows by primary key. What must stay true: the page equals a row-by-row filter, newest
// first, at any offset; a range filter (a tool_name glob, a time window) sorts ids from a covering
// index instead of reading every matching row (74 → 14–18 ms for 100,000 matches of 1 M records).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRow } from '../../../test/helpers/audit-rows.js';
import { openStorage, type Storage } from '../storage/index.js';
import type { AuditRow } from './row.js';
import { auditMigrations, type AuditDatabase } from './schema.js';
import { pageOf, SqliteAuditStore } from './sqlite-store.js';
import type { AuditFilter } from './store.js';

let dir: string;
let storage: Storage<AuditDatabase>;
let store: SqliteAuditStore;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-audit-page-'));
  storage = await openStorage<AuditDatabase>(path.join(dir, 'audit.db'), auditMigrations('sqlite'));
  store = new SqliteAuditStore(storage);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = (id: number): AuditRow =>
  auditRow(id, {
    session_id: `s${id % 4}`,
    workspace_id: `w${id % 3}`,
    tool_name: `ns${id % 5}__tool_${id % 7}`,
    status: id % 6 === 0 ? 'error' : 'success',
    error_code: id % 6 === 0 ? 'tool_error' : null,
  });

async function plan(filter: AuditFilter): Promise<string> {
  const compiled = pageOf(storage.db, filter, 50, 0).compile();
  const result = await storage.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]));
  return result.rows.map((r) => r.detail).join(' | ');
}

describe("GET /audit's page (a deferred join)", () => {
  it('equals a row-by-row filter, newest first, at every offset', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => row(i + 1));
    await store.insert(rows);
    const cases: Array<[AuditFilter, (r: AuditRow) => boolean]> = [
      [{ tool_name: 'ns2__*' }, (r) => r.tool_name.startsWith('ns2__')],
      [{ tool_name: '*__tool_3' }, (r) => r.tool_name.endsWith('__tool_3')],
      [
        { after: '2026-01-01T00:01:00.000Z', before: '2026-01-01T00:03:00.000Z' },
        (r) => r.timestamp >= '2026-01-01T00:01:00.000Z' && r.timestamp <= '2026-01-01T00:03:00.000Z',
      ],
      [{ workspace_id: 'w1', status: 'error' }, (r) => r.workspace_id === 'w1' && r.status === 'error'],
      [{}, () => true],
    ];
    for (const [filter, keep] of cases) {
      const expected = rows.filter(keep).sort((a, b) => b.id - a.id);
      for (const offset of [0, 7, expected.length - 2]) {
        const page = await store.query(filter, 5, offset);
        expect({ filter, offset, total: page.total, ids: page.rows.map((r) => r.id) }).toEqual({
          filter,
          offset,
          total: expected.length,
          ids: expected.slice(offset, offset + 5).map((r) => r.id),
        });
      }
    }
  });

  it('sorts the ids of a range filter from a covering index, then reads only the page by primary key', async () => {
    await store.insert(Array.from({ length: 300 }, (_, i) => row(i + 1)));
    const glob = await plan({ tool_name: 'ns2__*' });
    expect(glob).toContain('COVERING INDEX audit_records_tool_name');
    expect(glob).toMatch(/INTEGER PRIMARY KEY|USING PRIMARY KEY|rowid/i);
    expect(await plan({ after: '2026-01-01T00:01:00.000Z', before: '2026-01-01T00:03:00.000Z' })).toContain('COVERING INDEX audit_records_timestamp');
  });
});
