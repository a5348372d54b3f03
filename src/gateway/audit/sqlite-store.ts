import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Storage } from '../storage/index.js';
import type { AuditRow } from './row.js';
import { SUCCESS, type AuditDatabase } from './schema.js';
import type { AuditFilter, AuditStore } from './store.js';

type Query = SelectQueryBuilder<AuditDatabase, 'audit_records', object>;

/** `*` and `?` of a tool-name glob as a LIKE pattern (`\` escapes LIKE's own `%` and `_`). */
export function globToLike(glob: string): string {
  return glob
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*+/g, '%')
    .replace(/\?/g, '_');
}

const isGlob = (name: string) => /[*?]/.test(name);

/** The condition of the failure indexes (schema.ts, 0004), as they state it. */
const NOT_SUCCESS = sql<boolean>`${sql.ref('status')} <> ${sql.lit(SUCCESS)}`;

/**
 * `status=success` is counted as the rows of the other filters minus those that did not succeed:
 * both counts walk indexes (the other filter's, the partial failure index), where counting the
 * successes themselves would read each row (they are in no status index since 0004).
 */
async function countSuccesses(tx: Kysely<AuditDatabase>, filter: AuditFilter, all: () => Promise<number>): Promise<number> {
  const { status: _success, ...others } = filter;
  const base = Object.keys(others).length === 0 ? await all() : await countOf(filtered(tx.selectFrom('audit_records'), others));
  return base - (await countOf(filtered(tx.selectFrom('audit_records'), others).where(NOT_SUCCESS)));
}

/** `GET /audit`'s filters on a query of `audit_records` (exported for the query-plan test). */
export function filtered(query: Query, filter: AuditFilter): Query {
  let q = query;
  if (filter.session_id !== undefined) q = q.where('session_id', '=', filter.session_id);
  if (filter.workspace_id !== undefined) q = q.where('workspace_id', '=', filter.workspace_id);
  if (filter.status !== undefined) {
    q = q.where('status', '=', filter.status);
    // The partial indexes of failures (migration 0004) are used only where the query states their
    // condition, literally (SQLite does not infer it from \`status = ?\`).
    if (filter.status !== SUCCESS) q = q.where(NOT_SUCCESS);
  }
  if (filter.error_code !== undefined) q = q.where('error_code', '=', filter.error_code);
  if (filter.tool_name !== undefined) {
    q = isGlob(filter.tool_name)
      ? q.where(sql<boolean>`${sql.ref('tool_name')} like ${globToLike(filter.tool_name)} escape '\\'`)
      : q.where('tool_name', '=', filter.tool_name);
  }
  if (filter.after !== undefined) q = q.where('timestamp', '>=', filter.after);
  if (filter.before !== undefined) q = q.where('timestamp', '<=', filter.before);
  return q;
}

/**
 * A row's values in `ROW_COLUMNS` order (an absent nullable one as null), read by name (one shape, so each read is a plain
 * property load; a loop over the column names read them by computed key, ~0.5 µs a row).
 */
function rowValues(r: AuditRow): unknown[] {
  return [
    r.id,
    r.method,
    r.timestamp,
    r.session_id,
    r.client_type ?? null,
    r.model ?? null,
    r.workspace_id ?? null,
    r.workspace_name ?? null,
    r.subpath ?? null,
    r.tool_name,
    r.params_redacted ?? null,
    r.route_rule_id ?? null,
    r.downstream_server_id ?? null,
    r.downstream_instance_id ?? null,
    r.auth_scope_id ?? null,
    r.status,
    r.error_code ?? null,
    r.error_message ?? null,
    r.latency_ms,
    r.response_size,
    r.cache_hit,
    r.created_at,
    r.approval_id ?? null,
  ];
}

/** Every column of `audit_records`, in the order `rowValues` gives them (a test checks the two against a built row). */
export const ROW_COLUMNS = [
  'id',
  'method',
  'timestamp',
  'session_id',
  'client_type',
  'model',
  'workspace_id',
  'workspace_name',
  'subpath',
  'tool_name',
  'params_redacted',
  'route_rule_id',
  'downstream_server_id',
  'downstream_instance_id',
  'auth_scope_id',
  'status',
  'error_code',
  'error_message',
  'latency_ms',
  'response_size',
  'cache_hit',
  'created_at',
  'approval_id',
] as const satisfies ReadonlyArray<keyof AuditRow>;

/** The INSERT of every column of a row, compiled by Kysely (portable), in `ROW_COLUMNS` order. */
function compileInsert(db: Kysely<AuditDatabase>): string {
  const sample = Object.fromEntries(ROW_COLUMNS.map((column) => [column, null])) as unknown as AuditRow;
  return db.insertInto('audit_records').values(sample).compile().sql;
}

/** `rowValues` of each row (exported for the test that checks it against `ROW_COLUMNS`). */
export function insertParams(rows: readonly AuditRow[]): unknown[][] {
  const params = new Array<unknown[]>(rows.length);
  for (let i = 0; i < rows.length; i++) params[i] = rowValues(rows[i]!);
  return params;
}

/**
 * A page of `GET /audit` (newest first): the page's ids first, from the filter's index alone, then
 * those rows by primary key (a deferred join, portable). `SELECT *` straight off a range (a
 * `tool_name` glob, a time window) read every matching row to sort them by id: 74 ms for 100,000
 * matches of 1 M records; the ids alone sort from the covering index (14–18 ms). Equality filters
 * walk their index in id order either way. Exported for the query-plan test.
 */
export function pageOf(db: Kysely<AuditDatabase>, filter: AuditFilter, limit: number, offset: number) {
  const ids = filtered(db.selectFrom('audit_records'), filter).select('id').orderBy('id', 'desc').limit(limit).offset(offset);
  return db.selectFrom('audit_records').selectAll().where('id', 'in', ids).orderBy('id', 'desc');
}

async function countOf(query: Query): Promise<number> {
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** `AuditStore` on the data dir's SQLite file, with portable Kysely queries only. */
export class SqliteAuditStore implements AuditStore {
  private readonly db: Kysely<AuditDatabase>;
  /**
   * How many rows the table holds, kept as rows are written and deleted (the daemon is the file's
   * only writer): the unfiltered `total` without counting a million rows per page.
   */
  private rowCount: number | undefined;
  /** The batch INSERT, compiled once by Kysely (portable). */
  private insertSql: string | undefined;

  constructor(private readonly storage: Storage<AuditDatabase>) {
    this.db = storage.db;
  }

  async insert(rows: readonly AuditRow[]): Promise<void> {
    if (rows.length === 0) return;
    // One row's INSERT, compiled by Kysely (portable) once, run per row on one prepared statement.
    const sql = (this.insertSql ??= compileInsert(this.db));
    const params = insertParams(rows);
    await this.storage.runBatch(sql, params);
    if (this.rowCount !== undefined) this.rowCount += rows.length;
  }

  async query(filter: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }> {
    // One read transaction: the page and the total see the same rows.
    return this.db.transaction().execute(async (tx) => {
      const base = filtered(tx.selectFrom('audit_records'), filter);
      // Inside the transaction only `tx` may be used: Kysely's SQLite driver has one connection.
      const all = async () => (this.rowCount ??= await countOf(tx.selectFrom('audit_records')));
      let total: number;
      if (Object.keys(filter).length === 0) total = await all();
      else if (filter.status === SUCCESS) total = await countSuccesses(tx, filter, all);
      else total = await countOf(base);
      const rows = await pageOf(tx, filter, limit, offset).execute();
      return { rows, total };
    });
  }

  async since(afterId: number, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
    return filtered(this.db.selectFrom('audit_records'), filter).selectAll().where('id', '>', afterId).orderBy('id', 'asc').limit(limit).execute();
  }

  async maxId(): Promise<number> {
    const row = await this.db
      .selectFrom('audit_records')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  async count(): Promise<number> {
    this.rowCount ??= await countOf(this.db.selectFrom('audit_records'));
    return this.rowCount;
  }

  async deleteBefore(iso: string, batch: number): Promise<number> {
    // In bounded batches, oldest first: one statement never holds the (synchronous) engine long.
    const edge = await this.db
      .selectFrom('audit_records')
      .select('id')
      .where('timestamp', '<', iso)
      .orderBy('id', 'asc')
      .offset(batch - 1)
      .limit(1)
      .executeTakeFirst();
    const result = edge
      ? await this.db.deleteFrom('audit_records').where('timestamp', '<', iso).where('id', '<=', edge.id).executeTakeFirst()
      : await this.db.deleteFrom('audit_records').where('timestamp', '<', iso).executeTakeFirst();
    return this.deleted(result.numDeletedRows);
  }

  async deleteOldest(count: number): Promise<number> {
    if (count <= 0) return 0;
    const edge = await this.db
      .selectFrom('audit_records')
      .select('id')
      .orderBy('id', 'asc')
      .offset(count - 1)
      .limit(1)
      .executeTakeFirst();
    if (!edge) {
      const all = await this.db.deleteFrom('audit_records').executeTakeFirst();
      return this.deleted(all.numDeletedRows);
    }
    const result = await this.db.deleteFrom('audit_records').where('id', '<=', edge.id).executeTakeFirst();
    return this.deleted(result.numDeletedRows);
  }

  optimize(): Promise<void> {
    return this.storage.optimize();
  }

  private deleted(count: bigint): number {
    const n = Number(count);
    if (this.rowCount !== undefined) this.rowCount -= n;
    return n;
  }

  usedBytes(): Promise<number> {
    return this.storage.usedBytes();
  }

  close(): Promise<void> {
    return this.storage.close();
  }
}
