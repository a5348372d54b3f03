import type { ApprovalRecord } from './store.js';
import type { ResolveInput } from './service.js';

/** The most argument text an elicitation message shows; the dashboard shows the whole. */
const MAX_ARGUMENT_CHARS = 2_000;

/**
 * The `elicitation/create` params that put a pending request to the calling client's user (MCP
 * 2025-11-25 form mode): the message names the tool, its server, the workspace, the redacted
 * arguments and the justification; the form asks approve or deny (a titled single-select enum)
 * and an optional reason.
 *
 * @param serverName the downstream server's name (the record holds only its id)
 */
export function approvalElicitation(record: ApprovalRecord, serverName: string | undefined): Record<string, unknown> {
  let args = JSON.stringify(record.arguments, null, 2) ?? '{}';
  if (args.length > MAX_ARGUMENT_CHARS) args = `${args.slice(0, MAX_ARGUMENT_CHARS)}… (${args.length} characters in all; the dashboard shows them whole)`;
  const lines = [
    `MCPlexer: a tool call needs your approval.`,
    `Tool: ${record.tool_name}`,
    `Server: ${serverName ?? record.downstream_server_id ?? '(none)'}`,
    `Workspace: ${record.workspace_name}`,
    `Arguments: ${args}`,
    `Justification: ${record.justification ?? '(none given)'}`,
    `Approval ${record.id}; it times out after ${record.timeout_sec} s.`,
  ];
  return {
    message: lines.join('\n'),
    requestedSchema: {
      type: 'object',
      properties: {
        decision: {
          type: 'string',
          title: 'Decision',
          description: 'Approve to let the call run; deny to refuse it',
          oneOf: [
            { const: 'approve', title: 'Approve' },
            { const: 'deny', title: 'Deny' },
          ],
        },
        reason: { type: 'string', title: 'Reason', description: 'Optional; the agent sees it when you deny' },
      },
      required: ['decision'],
    },
  };
}

/**
 * The user's answer as a resolution: `accept` with `decision` approve or deny (and the optional
 * reason); `decline` is a denial. `cancel` (the user dismissed the form) and anything unusable
 * answer nothing: the request stays pending for the other channels and its timeout.
 */
export function readElicitationAnswer(answer: Record<string, unknown>): Pick<ResolveInput, 'approved' | 'resolution'> | undefined {
  const content = (typeof answer.content === 'object' && answer.content !== null ? answer.content : {}) as Record<string, unknown>;
  const reason = typeof content.reason === 'string' && content.reason.trim() ? content.reason.trim() : null;
  if (answer.action === 'decline') return { approved: false, resolution: reason ?? 'declined in the client' };
  if (answer.action !== 'accept') return undefined;
  if (content.decision === 'approve') return { approved: true, resolution: reason ?? 'approved in the client' };
  if (content.decision === 'deny') return { approved: false, resolution: reason ?? 'denied in the client' };
  return undefined;
}
