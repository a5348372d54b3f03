import type { AuditRow } from './row.js';

/** `GET /audit`'s filters, parsed (all optional; `tool_name` may be a glob). */
export interface AuditFilter {
  session_id?: string;
  workspace_id?: string;
  /** An exact name, or a glob (`*` any run of characters, `?` one). */
  tool_name?: string;
  status?: 'success' | 'error' | 'blocked';
  /** Exact: `denied`, `no_route`, `tool_error`, `timeout`, … or a JSON-RPC code as text. */
  error_code?: string;
  /** RFC 3339 UTC with ms, inclusive. */
  after?: string;
  before?: string;
}

/**
 * Where audit rows live. The embedded implementation is SQLite (`SqliteAuditStore`); a team
 * gateway puts PostgreSQL behind the same interface and the same Kysely queries.
 */
export interface AuditStore {
  /** Writes rows in one transaction (all or none). */
  insert(rows: readonly AuditRow[]): Promise<void>;
  /** A page newest first (by id), and how many rows match in all. */
  query(filter: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }>;
  /** Rows with an id above `afterId`, oldest first, at most `limit` (a stream's replay). */
  since(afterId: number, filter: AuditFilter, limit: number): Promise<AuditRow[]>;
  /** The highest id stored, 0 when empty. */
  maxId(): Promise<number>;
  count(): Promise<number>;
  /** Deletes rows whose `timestamp` is before `iso`; returns how many. */
  deleteBefore(iso: string, batch: number): Promise<number>;
  /** Deletes the `count` oldest rows (by id); returns how many. */
  deleteOldest(count: number): Promise<number>;
  /** Refreshes the planner's statistics (after pruning). */
  optimize(): Promise<void>;
  /** Bytes the rows occupy (the size bound of retention). */
  usedBytes(): Promise<number>;
  close(): Promise<void>;
}
