import type { ApprovalRecord } from '../../shared/approval-record.js';
import { conflict } from '../errors.js';

/**
 * The approval record and the store it lives in (issue 17's contract between approvals and audit):
 * approvals owns the interface and the in-memory implementation; audit ships the SQLite one
 * (`audit/approval-store-sqlite.ts`, the `approvals` table of `audit.db`).
 */

export type { ApprovalRecord } from '../../shared/approval-record.js';

export interface ApprovalStore {
  insert(record: ApprovalRecord): Promise<void>;
  /** Conditional: succeeds only while the row is still pending (the one winner of racing resolves). */
  resolve(id: string, update: Pick<ApprovalRecord, 'status' | 'approver_session_id' | 'approver_type' | 'resolution' | 'resolved_at'>): Promise<boolean>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  list(query: { status?: ApprovalRecord['status']; workspace_id?: string; limit?: number; offset?: number }): Promise<ApprovalRecord[]>;
  /** At start: every row still pending becomes cancelled ("server restart"). Returns how many. */
  cancelPending(resolution: string, at: string): Promise<number>;
  counts(): Promise<{ pending: number; approved: number; denied: number; timeout: number; cancelled: number; avg_wait_ms: number }>;
}

/** The default page of `list` when no limit is given. */
export const DEFAULT_LIST_LIMIT = 100;

/**
 * `ApprovalStore` in memory: rows in creation order, gone when the process ends. Used until the
 * SQLite store is wired in, and by tests (one instance handed to two gateway starts stands for a
 * database that survives a restart). `list` answers pending rows oldest first and the others
 * newest first, as the SQLite store does.
 */
export class MemoryApprovalStore implements ApprovalStore {
  private readonly rows = new Map<string, ApprovalRecord>();

  async insert(record: ApprovalRecord): Promise<void> {
    if (this.rows.has(record.id)) throw conflict(`approval ${record.id} already exists`);
    this.rows.set(record.id, { ...record });
  }

  async resolve(id: string, update: Pick<ApprovalRecord, 'status' | 'approver_session_id' | 'approver_type' | 'resolution' | 'resolved_at'>): Promise<boolean> {
    const row = this.rows.get(id);
    // The check and the write are one synchronous step: the conditional UPDATE of a database.
    if (!row || row.status !== 'pending') return false;
    Object.assign(row, update);
    return true;
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const row = this.rows.get(id);
    return row && { ...row };
  }

  async list(query: { status?: ApprovalRecord['status']; workspace_id?: string; limit?: number; offset?: number }): Promise<ApprovalRecord[]> {
    const matching = [...this.rows.values()].filter(
      (row) => (query.status === undefined || row.status === query.status) && (query.workspace_id === undefined || row.workspace_id === query.workspace_id),
    );
    if (query.status !== 'pending') matching.reverse();
    const offset = query.offset ?? 0;
    return matching.slice(offset, offset + (query.limit ?? DEFAULT_LIST_LIMIT)).map((row) => ({ ...row }));
  }

  async cancelPending(resolution: string, at: string): Promise<number> {
    let count = 0;
    for (const row of this.rows.values()) {
      if (row.status !== 'pending') continue;
      Object.assign(row, { status: 'cancelled', approver_type: 'system', approver_session_id: null, resolution, resolved_at: at });
      count += 1;
    }
    return count;
  }

  async counts(): Promise<{ pending: number; approved: number; denied: number; timeout: number; cancelled: number; avg_wait_ms: number }> {
    const out = { pending: 0, approved: 0, denied: 0, timeout: 0, cancelled: 0, avg_wait_ms: 0 };
    let waited = 0;
    let resolved = 0;
    for (const row of this.rows.values()) {
      out[row.status] += 1;
      if (row.resolved_at === null) continue;
      waited += Date.parse(row.resolved_at) - Date.parse(row.created_at);
      resolved += 1;
    }
    out.avg_wait_ms = resolved === 0 ? 0 : Math.round(waited / resolved);
    return out;
  }
}
