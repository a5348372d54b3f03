import type { ApprovalRecord } from './store.js';

/**
 * The texts a caller and an approver read. The justification text is the original MCPlexer's
 * word for word (clients that retry on it keep working); the denial says who denied (ours).
 */
export const JUSTIFICATION_REQUIRED_TEXT =
  'This tool requires approval before execution. Retry your call with an additional `_justification` field explaining why you need to use this tool.';

/** The resolutions the gateway writes itself (approver_type `system`). */
export const RESOLUTIONS = {
  timeout: 'timed out',
  disconnected: 'client disconnected',
  shutdown: 'server shutdown',
  restart: 'server restart',
} as const;

/** Who resolved a request, in words: `the dashboard`, `the user in the client`, `agent session <id>`, `the gateway`. */
export function approverLabel(record: Pick<ApprovalRecord, 'approver_type' | 'approver_session_id'>): string {
  switch (record.approver_type) {
    case 'dashboard':
      return 'the dashboard';
    case 'client_user':
      return 'the user in the client';
    case 'mcp_agent':
      return `agent session ${record.approver_session_id ?? '(unknown)'}`;
    default:
      return 'the gateway';
  }
}

/** "Tool call denied by <approver>. Reason: <resolution>" (the original's text names no approver). */
export function deniedText(record: ApprovalRecord): string {
  return `Tool call denied by ${approverLabel(record)}. Reason: ${record.resolution || '(none given)'}`;
}

export function timeoutText(record: ApprovalRecord): string {
  return `Tool call not approved: the approval request ${record.id} timed out after ${record.timeout_sec} s without an answer. Ask the user to watch for approvals, then retry.`;
}
