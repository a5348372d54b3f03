/**
 * PLACEHOLDER until the lead's "Contract for issue 18" lands (then theirs replaces this file): the
 * approval wire schemas the Approvals view and the notifications read.
 */
import { z } from 'zod';

export const approvalStatusSchema = z.enum(['pending', 'approved', 'denied', 'timeout', 'cancelled']);

export const approvalRecordSchema = z.looseObject({
  id: z.string(),
  status: approvalStatusSchema,
  request_session_id: z.string(),
  request_client_type: z.string().nullable(),
  request_model: z.string().nullable(),
  workspace_id: z.string(),
  workspace_name: z.string(),
  tool_name: z.string(),
  arguments: z.unknown(),
  justification: z.string().nullable(),
  route_rule_id: z.string().nullable(),
  downstream_server_id: z.string().nullable(),
  auth_scope_id: z.string().nullable(),
  approver_session_id: z.string().nullable(),
  approver_type: z.enum(['mcp_agent', 'dashboard', 'system', 'client_user']).nullable(),
  resolution: z.string().nullable(),
  timeout_sec: z.number(),
  created_at: z.string(),
  resolved_at: z.string().nullable(),
});
export type ApprovalRecord = z.infer<typeof approvalRecordSchema>;

export const approvalResolveResultSchema = z.object({ status: z.enum(['approved', 'denied']), approval: approvalRecordSchema });

export const approvalEventSchema = z.object({ type: z.enum(['pending', 'resolved']), approval: approvalRecordSchema });
export type ApprovalEvent = z.infer<typeof approvalEventSchema>;
