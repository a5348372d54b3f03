/**
 * Words about a resolved approval request, shared by the editor's notifications and the Approvals
 * view's host handlers (pure: no Node, no DOM, no `vscode`).
 */
import type { ApprovalRecord } from '../approval-record.js';

/** Who answered a request, for "already resolved by …" and the closing messages. */
export function approverLabel(approval: Pick<ApprovalRecord, 'approver_type' | 'approver_session_id'>): string {
  switch (approval.approver_type) {
    case 'dashboard':
      return 'the dashboard (an editor window or the browser)';
    case 'mcp_agent':
      return `an agent${approval.approver_session_id ? ` (session ${approval.approver_session_id})` : ''}`;
    case 'client_user':
      return "the calling client's user";
    case 'system':
      return 'the gateway';
    default:
      return 'someone else';
  }
}

export const OUTCOME: Record<ApprovalRecord['status'], string> = {
  pending: 'is still pending',
  approved: 'approved',
  denied: 'denied',
  timeout: 'timed out',
  cancelled: 'cancelled',
};

/** What a 409 on resolving says: `… was already approved by the dashboard …`, from the record fetched after it. */
export function alreadyResolvedText(approval: ApprovalRecord): string {
  if (approval.status === 'timeout' || approval.status === 'cancelled') {
    return `MCPlexer: the request to call ${approval.tool_name} was already ${OUTCOME[approval.status]}${approval.resolution ? ` (${approval.resolution})` : ''}.`;
  }
  return `MCPlexer: the request to call ${approval.tool_name} was already ${OUTCOME[approval.status]} by ${approverLabel(approval)}.`;
}
