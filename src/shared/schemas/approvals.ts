/**
 * Approvals on the wire (issue 17, the REST reference's Approvals section): a request as
 * `GET /api/v1/approvals` lists it, the answer of `POST /approvals/{id}/resolve`, and the events of
 * `GET /approvals/stream`. The record's TypeScript shape is `../approval-record.ts` (the gateway keeps
 * it); this schema checks it where it arrives.
 */
import { z } from 'zod';
import type { ApprovalRecord } from '../approval-record.js';

export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'timeout', 'cancelled'] as const;
export const APPROVER_TYPES = ['mcp_agent', 'dashboard', 'system', 'client_user'] as const;

const text = z.string().nullable();

export const approvalRecordSchema = z.object({
  id: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  request_session_id: z.string(),
  request_client_type: text,
  request_model: text,
  workspace_id: z.string(),
  workspace_name: z.string(),
  tool_name: z.string(),
  /** Already redacted. */
  arguments: z.unknown(),
  justification: text,
  route_rule_id: text,
  downstream_server_id: text,
  auth_scope_id: text,
  approver_session_id: text,
  approver_type: z.enum(APPROVER_TYPES).nullable(),
  resolution: text,
  /** s. */
  timeout_sec: z.number(),
  created_at: z.string(),
  resolved_at: text,
});

// The schema and the gateway's record are one shape: a change to either fails the build here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const APPROVAL_SHAPE_CHECK: Same<z.infer<typeof approvalRecordSchema>, ApprovalRecord> = true;

/** `GET /approvals`'s query: no `status` (or `pending`) → pending, oldest first; others → history, newest first. */
export interface ApprovalListQuery {
  status?: (typeof APPROVAL_STATUSES)[number];
  workspace_id?: string;
  limit?: number;
  offset?: number;
}

/** `POST /approvals/{id}/resolve`'s body (`reason` is accepted as an alias of `resolution`). */
export interface ApprovalResolveInput {
  approved: boolean;
  resolution?: string;
}

export const approvalResolveResultSchema = z.object({ status: z.enum(['approved', 'denied']), approval: approvalRecordSchema });
export type ApprovalResolveResult = z.infer<typeof approvalResolveResultSchema>;

/** `GET /approvals/stream`'s `data` (`event: approval.requested` ↔ `pending`, `approval.resolved` ↔ `resolved`). */
export const approvalEventSchema = z.object({ type: z.enum(['pending', 'resolved']), approval: approvalRecordSchema });
export type ApprovalEvent = z.infer<typeof approvalEventSchema>;
