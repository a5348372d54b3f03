import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../storage/index.js';

/** `audit_records`: one row per settled call (issue 17's field list, plus `method`). */
export interface AuditRecordsTable {
  /** Monotonic: the SSE `id:` and the order of the trail. */
  id: number;
  method: string;
  /** RFC 3339 UTC with ms (`toISOString`): compares as text in time order on both engines. */
  timestamp: string;
  session_id: string;
  client_type: string | null;
  model: string | null;
  workspace_id: string | null;
  workspace_name: string | null;
  subpath: string | null;
  tool_name: string;
  /** JSON text of the redacted arguments; null without arguments. */
  params_redacted: string | null;
  route_rule_id: string | null;
  downstream_server_id: string | null;
  downstream_instance_id: string | null;
  auth_scope_id: string | null;
  status: string;
  error_code: string | null;
  error_message: string | null;
  latency_ms: number;
  response_size: number;
  /** 0 or 1 (a portable boolean). */
  cache_hit: number;
  created_at: string;
  approval_id: string | null;
}

/** `approvals`: the approval queue and its history (the contract's `ApprovalRecord`). */
export interface ApprovalsTable {
  id: string;
  status: string;
  request_session_id: string;
  request_client_type: string | null;
  request_model: string | null;
  workspace_id: string;
  workspace_name: string;
  tool_name: string;
  /** JSON text of the redacted arguments. */
  arguments: string;
  justification: string | null;
  route_rule_id: string | null;
  downstream_server_id: string | null;
  auth_scope_id: string | null;
  approver_session_id: string | null;
  approver_type: string | null;
  resolution: string | null;
  timeout_sec: number;
  created_at: string;
  resolved_at: string | null;
  /** Epoch ms of `created_at` / `resolved_at`: the average wait in portable arithmetic. */
  created_ms: number;
  resolved_ms: number | null;
}

export interface AuditDatabase {
  audit_records: AuditRecordsTable;
  approvals: ApprovalsTable;
}

/** The status of a call that succeeded: the rows the failure indexes leave out (0004). */
export const SUCCESS = 'success';

/** The indexes of `GET /audit`'s first filters: each equality filter walks its own index newest first (`error_code`: 0003). */
const FILTER_INDEXES = ['session_id', 'workspace_id', 'tool_name', 'status'] as const;

/**
 * The schema of `audit.db`, as code. Column types are portable; only the id's differs: SQLite's
 * `integer primary key` is the rowid itself, PostgreSQL needs `bigint` for ids seeded from the clock.
 */
export function auditMigrations(engine: 'sqlite' | 'postgres'): Migrations {
  const idType = engine === 'sqlite' ? 'integer' : 'bigint';
  return {
    '0001_audit_records': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('audit_records')
          .addColumn('id', idType, (c) => c.primaryKey())
          .addColumn('method', 'text', (c) => c.notNull())
          .addColumn('timestamp', 'text', (c) => c.notNull())
          .addColumn('session_id', 'text', (c) => c.notNull())
          .addColumn('client_type', 'text')
          .addColumn('model', 'text')
          .addColumn('workspace_id', 'text')
          .addColumn('workspace_name', 'text')
          .addColumn('subpath', 'text')
          .addColumn('tool_name', 'text', (c) => c.notNull())
          .addColumn('params_redacted', 'text')
          .addColumn('route_rule_id', 'text')
          .addColumn('downstream_server_id', 'text')
          .addColumn('downstream_instance_id', 'text')
          .addColumn('auth_scope_id', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .addColumn('latency_ms', 'double precision', (c) => c.notNull())
          .addColumn('response_size', 'integer', (c) => c.notNull())
          .addColumn('cache_hit', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('approval_id', 'text')
          .execute();
        for (const column of FILTER_INDEXES) await db.schema.createIndex(`audit_records_${column}`).on('audit_records').columns([column, 'id']).execute();
        await db.schema.createIndex('audit_records_timestamp').on('audit_records').column('timestamp').execute();
        // A workspace's errors (or blocks) in a time window: the combination a dashboard asks for,
        // counted from this index alone rather than by reading each matching row.
        await db.schema.createIndex('audit_records_workspace_status_time').on('audit_records').columns(['workspace_id', 'status', 'timestamp']).execute();
      },
    },
    '0002_approvals': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('approvals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('request_session_id', 'text', (c) => c.notNull())
          .addColumn('request_client_type', 'text')
          .addColumn('request_model', 'text')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('workspace_name', 'text', (c) => c.notNull())
          .addColumn('tool_name', 'text', (c) => c.notNull())
          .addColumn('arguments', 'text', (c) => c.notNull())
          .addColumn('justification', 'text')
          .addColumn('route_rule_id', 'text')
          .addColumn('downstream_server_id', 'text')
          .addColumn('auth_scope_id', 'text')
          .addColumn('approver_session_id', 'text')
          .addColumn('approver_type', 'text')
          .addColumn('resolution', 'text')
          .addColumn('timeout_sec', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('resolved_at', 'text')
          .addColumn('created_ms', 'bigint', (c) => c.notNull())
          .addColumn('resolved_ms', 'bigint')
          .execute();
        await db.schema.createIndex('approvals_status').on('approvals').columns(['status', 'created_ms']).execute();
        await db.schema.createIndex('approvals_workspace').on('approvals').columns(['workspace_id', 'created_ms']).execute();
      },
    },
    // `error_code` became a filter of GET /audit and the stream (issue 18's Audit view): its own
    // index, as every equality filter has, so `?error_code=timeout` walks it newest first.
    '0003_audit_error_code': {
      async up(db: Kysely<any>) {
        await db.schema.createIndex('audit_records_error_code').on('audit_records').columns(['error_code', 'id']).execute();
      },
    },
    // Most calls succeed, and a successful row paid for three index entries it never needed (an
    // index entry is ~1 µs of the ~12 µs insert in WebAssembly, per row, on the daemon's CPU):
    // the indexes that serve failures (`error_code`, `status`, the dashboard's workspace × status
    // × time) now hold only rows that did not succeed. A `status = 'success'` total is counted as
    // the other filters' rows minus the indexed failures (sqlite-store.ts), both from indexes.
    // Partial indexes are portable (PostgreSQL has them too).
    '0004_audit_failure_indexes': {
      async up(db: Kysely<any>) {
        for (const name of ['audit_records_error_code', 'audit_records_status', 'audit_records_workspace_status_time'])
          await db.schema.dropIndex(name).execute();
        await db.schema
          .createIndex('audit_records_error_code')
          .on('audit_records')
          .columns(['error_code', 'id'])
          .where(sql<boolean>`${sql.ref('error_code')} is not null`)
          .execute();
        await db.schema
          .createIndex('audit_records_status')
          .on('audit_records')
          .columns(['status', 'id'])
          .where(sql<boolean>`${sql.ref('status')} <> ${sql.lit(SUCCESS)}`)
          .execute();
        await db.schema
          .createIndex('audit_records_workspace_status_time')
          .on('audit_records')
          .columns(['workspace_id', 'status', 'timestamp'])
          .where(sql<boolean>`${sql.ref('status')} <> ${sql.lit(SUCCESS)}`)
          .execute();
      },
    },
  };
}
