/**
 * The approval record and the store it lives in (issue 17's contract between approvals and audit):
 * approvals owns the interface; audit ships the SQLite implementation (`audit/approval-store-sqlite.ts`,
 * the `approvals` table of `audit.db`).
 */

export interface ApprovalRecord {
  id: string;
  status: 'pending' | 'approved' | 'denied' | 'timeout' | 'cancelled';
  request_session_id: string;
  request_client_type: string | null;
  request_model: string | null;
  workspace_id: string;
  workspace_name: string;
  tool_name: string;
  arguments: unknown /* redacted */;
  justification: string | null;
  route_rule_id: string | null;
  downstream_server_id: string | null;
  auth_scope_id: string | null;
  approver_session_id: string | null;
  approver_type: 'mcp_agent' | 'dashboard' | 'system' | 'client_user' | null;
  resolution: string | null;
  timeout_sec: number;
  created_at: string;
  resolved_at: string | null;
}

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
