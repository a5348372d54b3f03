/**
 * An approval request as the gateway keeps it and `GET /api/v1/approvals` answers it (issue 17):
 * one definition for the approvals module, the audit store that persists it, and the views.
 */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'timeout' | 'cancelled';
export type ApproverType = 'mcp_agent' | 'dashboard' | 'system' | 'client_user';

export interface ApprovalRecord {
  id: string;
  status: ApprovalStatus;
  request_session_id: string;
  request_client_type: string | null;
  request_model: string | null;
  workspace_id: string;
  workspace_name: string;
  tool_name: string;
  /** Already redacted. */
  arguments: unknown;
  justification: string | null;
  route_rule_id: string | null;
  downstream_server_id: string | null;
  auth_scope_id: string | null;
  approver_session_id: string | null;
  approver_type: ApproverType | null;
  resolution: string | null;
  timeout_sec: number;
  created_at: string;
  resolved_at: string | null;
}
