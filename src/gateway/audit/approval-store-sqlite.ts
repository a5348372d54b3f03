import type { Kysely, Selectable } from 'kysely';
import type { Storage } from '../storage/index.js';
import type { ApprovalRecord, ApprovalStatus, ApproverType } from '../../shared/approval-record.js';
import type { ApprovalsTable, AuditDatabase } from './schema.js';

/** The approval as the approvals module's `ApprovalStore` takes it: one shared definition. */
export type ApprovalRow = ApprovalRecord;
type Status = ApprovalStatus;

export type ApprovalResolution = Pick<ApprovalRow, 'status' | 'approver_session_id' | 'approver_type' | 'resolution' | 'resolved_at'>;

/** The default page of `list`. */
const LIST_LIMIT = 100;

const epochMs = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

function fromRow(row: Selectable<ApprovalsTable>): ApprovalRow {
  const { created_ms: _created, resolved_ms: _resolved, ...rest } = row;
  return { ...rest, status: row.status as Status, approver_type: row.approver_type as ApproverType | null, arguments: JSON.parse(row.arguments) };
}

/**
 * `ApprovalStore` on the `approvals` table of `audit.db`. `resolve` is one conditional UPDATE
 * (`… WHERE id = ? AND status = 'pending'`): of racing resolutions exactly one changes the row,
 * on this engine and on PostgreSQL alike. `list` answers pending rows oldest first and the rest
 * newest first.
 */
export class SqliteApprovalStore {
  private readonly db: Kysely<AuditDatabase>;

  constructor(storage: Storage<AuditDatabase>) {
    this.db = storage.db;
  }

  async insert(record: ApprovalRow): Promise<void> {
    await this.db
      .insertInto('approvals')
      .values({
        ...record,
        arguments: JSON.stringify(record.arguments ?? null),
        created_ms: Date.parse(record.created_at),
        resolved_ms: epochMs(record.resolved_at),
      })
      .execute();
  }

  async resolve(id: string, update: ApprovalResolution): Promise<boolean> {
    const result = await this.db
      .updateTable('approvals')
      .set({ ...update, resolved_ms: epochMs(update.resolved_at) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async get(id: string): Promise<ApprovalRow | undefined> {
    const row = await this.db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(query: { status?: Status; workspace_id?: string; limit?: number; offset?: number }): Promise<ApprovalRow[]> {
    let q = this.db.selectFrom('approvals').selectAll();
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.workspace_id !== undefined) q = q.where('workspace_id', '=', query.workspace_id);
    const direction = query.status === 'pending' ? 'asc' : 'desc';
    const rows = await q
      .orderBy('created_ms', direction)
      .orderBy('id', direction)
      .limit(query.limit ?? LIST_LIMIT)
      .offset(query.offset ?? 0)
      .execute();
    return rows.map(fromRow);
  }

  async cancelPending(resolution: string, at: string): Promise<number> {
    const result = await this.db
      .updateTable('approvals')
      .set({ status: 'cancelled', approver_type: 'system', approver_session_id: null, resolution, resolved_at: at, resolved_ms: Date.parse(at) })
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async counts(): Promise<{ pending: number; approved: number; denied: number; timeout: number; cancelled: number; avg_wait_ms: number }> {
    const out = { pending: 0, approved: 0, denied: 0, timeout: 0, cancelled: 0, avg_wait_ms: 0 };
    const rows = await this.db
      .selectFrom('approvals')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    for (const row of rows) if (row.status in out) out[row.status as Status] = Number(row.n);
    const wait = await this.db
      .selectFrom('approvals')
      .select((eb) => eb.fn.avg<number>(eb('resolved_ms', '-', eb.ref('created_ms'))).as('avg'))
      .where('resolved_ms', 'is not', null)
      .executeTakeFirst();
    out.avg_wait_ms = wait?.avg == null ? 0 : Math.round(Number(wait.avg));
    return out;
  }
}
