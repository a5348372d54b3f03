import type { ApprovalRecord, ApprovalService } from '../approvals/index.js';
import { GatewayError } from '../errors.js';
import type { SessionView } from './session-view.js';

type ToolResult = Record<string, unknown>;

/** The approval tools' default descriptions (GET /settings shows them; `tool_description_overrides` replaces them). */
export const APPROVAL_TOOL_DEFAULTS: Record<string, string> = {
  mcpx__list_pending_approvals:
    "List tool calls of other sessions that are waiting for approval (your own session's requests are not shown: an agent cannot approve its own calls).",
  mcpx__approve_tool_call: 'Approve a pending tool call of another session by its approval_id, with an optional reason. The call then runs.',
  mcpx__deny_tool_call: 'Deny a pending tool call of another session by its approval_id; the reason is required and shown to the caller.',
};

export const APPROVAL_TOOL_SCHEMAS: Record<string, Record<string, unknown>> = {
  mcpx__list_pending_approvals: { type: 'object', properties: {} },
  mcpx__approve_tool_call: {
    type: 'object',
    properties: { approval_id: { type: 'string', description: 'the id from mcpx__list_pending_approvals' }, reason: { type: 'string' } },
    required: ['approval_id'],
  },
  mcpx__deny_tool_call: {
    type: 'object',
    properties: {
      approval_id: { type: 'string', description: 'the id from mcpx__list_pending_approvals' },
      reason: { type: 'string', description: 'why (required)' },
    },
    required: ['approval_id', 'reason'],
  },
};

const text = (value: string, isError = false): ToolResult => ({ content: [{ type: 'text', text: value }], ...(isError ? { isError: true } : {}) });

/** The part of a record an agent sees: what would run, where, and why it was asked for. */
function summary(record: ApprovalRecord) {
  return {
    approval_id: record.id,
    tool_name: record.tool_name,
    arguments: record.arguments,
    justification: record.justification,
    workspace: record.workspace_name,
    client_type: record.request_client_type,
    created_at: record.created_at,
    timeout_sec: record.timeout_sec,
  };
}

/**
 * The `mcpx` approval tools (issue 17), resolving as `mcp_agent` with the calling session as the
 * approver. An agent never sees or resolves a request of its own session (self-approval is
 * refused); nor one whose rule's `approval_channels` leave out `mcp_agent`. Refusals (unknown
 * id, already resolved, own request, channel) are tool results with `isError: true`, which an
 * agent reads.
 *
 * @throws GatewayError `invalid_params` (`approval_id` missing, `reason` missing for a denial), or
 *   what the store throws
 */
export async function callApprovalTool(
  name: string,
  args: Record<string, unknown> | undefined,
  approvals: ApprovalService,
  session: SessionView,
): Promise<ToolResult> {
  if (name === 'mcpx__list_pending_approvals') {
    const pending = (await approvals.list({ status: 'pending' })).filter(
      (record) => record.request_session_id !== session.id && (approvals.channelsOf(record.id)?.includes('mcp_agent') ?? true),
    );
    return text(pending.length === 0 ? 'No pending approvals.' : JSON.stringify(pending.map(summary), null, 2));
  }
  const approved = name === 'mcpx__approve_tool_call';
  const id = args?.approval_id;
  if (typeof id !== 'string' || !id.trim()) throw new GatewayError('invalid_params', `${name} needs "approval_id": the id from mcpx__list_pending_approvals`);
  const reason = typeof args?.reason === 'string' && args.reason.trim() ? args.reason.trim() : null;
  if (!approved && reason === null) throw new GatewayError('invalid_params', 'mcpx__deny_tool_call needs a non-empty "reason": the caller is told why');
  try {
    const record = await approvals.resolve(id.trim(), { approved, resolution: reason, approver_type: 'mcp_agent', approver_session_id: session.id });
    return text(`${approved ? 'Approved' : 'Denied'} ${record.tool_name} (approval ${record.id}).`);
  } catch (error) {
    if (error instanceof GatewayError && ['not_found', 'conflict', 'forbidden'].includes(error.code)) return text(error.message, true);
    throw error;
  }
}
