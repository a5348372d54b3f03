/**
 * The checks of the gateway's issue-17 streams: each SSE message's `data` against its wire schema
 * (`./schemas/`), so a reader gets typed values or a reason the event was skipped.
 */
import type { z } from 'zod';
import { approvalEventSchema, type ApprovalEvent } from './schemas/approvals.js';
import { auditRecordSchema, type AuditRecord } from './schemas/audit.js';
import type { SseMessage } from './sse-parser.js';
import { jsonData } from './sse-stream.js';

function checked<T>(schema: z.ZodType<T>, message: SseMessage, expected: readonly string[]): T | Error {
  if (!expected.includes(message.type)) return new Error(`event ${message.id} has type "${message.type}", not ${expected.join(' or ')}; skipped`);
  const data = jsonData(message);
  if (data instanceof Error) return data;
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    return new Error(`event ${message.id} (${message.type}) does not fit its schema: ${parsed.error.issues[0]?.message ?? 'invalid'}; skipped`);
  return parsed.data;
}

/** `GET /audit/stream`: `event: audit`, `data:` one record. */
export function parseAuditRecord(message: SseMessage): AuditRecord | Error {
  return checked(auditRecordSchema, message, ['audit']);
}

/** `GET /approvals/stream`: `event: approval.requested|approval.resolved`, `data: {type, approval}`. */
export function parseApprovalEvent(message: SseMessage): ApprovalEvent | Error {
  return checked(approvalEventSchema, message, ['approval.requested', 'approval.resolved']);
}
