/**
 * The audit trail on the wire (issue 17, the REST reference's Audit section): a record as
 * `GET /api/v1/audit` pages it and `GET /api/v1/audit/stream` streams it (`event: audit`, `id:` the
 * record's monotonic id), and the page around records. Pure: the gateway's router, the REST client
 * and the views share these.
 */
import { z } from 'zod';

export const AUDIT_STATUSES = ['success', 'error', 'blocked'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

const text = z.string().nullable();

/** One audit record (the stored row with its id as an opaque string and current names looked up). */
export const auditRecordSchema = z.object({
  id: z.string(),
  method: z.string(),
  /** RFC 3339, when the call entered the pipeline. */
  timestamp: z.string(),
  session_id: z.string(),
  client_type: text,
  model: text,
  workspace_id: text,
  workspace_name: text,
  subpath: text,
  tool_name: z.string(),
  /** The forwarded arguments with secrets replaced by `"[REDACTED]"`; null without arguments. */
  params_redacted: z.unknown(),
  route_rule_id: text,
  downstream_server_id: text,
  downstream_instance_id: text,
  auth_scope_id: text,
  status: z.enum(AUDIT_STATUSES),
  error_code: text,
  error_message: text,
  /** ms. */
  latency_ms: z.number(),
  /** Bytes of the result's JSON. */
  response_size: z.number(),
  cache_hit: z.boolean(),
  created_at: z.string(),
  approval_id: text,
  /** The deciding rule's `path_glob` now (null once the rule is gone). */
  route_rule_summary: text,
  /** The server's name now (null once it is gone). */
  downstream_server_name: text,
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** `GET /audit`: newest first, with the effective `limit` and `offset`. */
export const auditPageSchema = z.object({
  data: z.array(auditRecordSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** The filters of `GET /audit/stream` (a subset of the page's). */
export interface AuditStreamFilter {
  workspace_id?: string;
  /** Exact or a glob (`github__*`). */
  tool_name?: string;
  status?: AuditStatus;
  error_code?: string;
}

/** `GET /audit`'s query: times RFC 3339 (inclusive), `limit` 1–500 (default 50), `offset` ≥ 0. */
export interface AuditQuery extends AuditStreamFilter {
  session_id?: string;
  after?: string;
  before?: string;
  limit?: number;
  offset?: number;
}
