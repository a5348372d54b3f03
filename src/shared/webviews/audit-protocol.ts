/**
 * The Audit view's message protocol: pages of `GET /audit`, the live stream (`GET /audit/stream`)
 * relayed by the host, and the filter a command hands in. Shared by the host side
 * (`host/audit-handlers.ts`, in a VS Code window or in the browser page) and the view
 * (`src/webview/audit`); both parse what they receive with these schemas.
 *
 * The stream is the host's to hold: the view asks `audit/subscribe {subscription, filter,
 * lastEventId}`, the host opens the resumable stream through its REST client and relays records in
 * batches as `audit/records`, tagged with the view's `subscription` number so that records of a
 * filter the view has left are recognised and dropped. A view that comes back (re-shown, reloaded)
 * subscribes again with the last id it holds: the gateway replays the rest from its store.
 */
import { z } from 'zod';
import { AUDIT_STATUSES, auditPageSchema, auditRecordSchema } from '../schemas/audit.js';
import { workspaceAnswerSchema } from './answers.js';
import { COMMON_TO_HOST, COMMON_TO_VIEW } from './common-notes.js';
import { entityNamesSchema } from './entity-names.js';
import { defineProtocol, type ToHostMessage, type ToViewMessage } from './protocol.js';

const word = z.string().trim().min(1, 'must not be empty');
/** RFC 3339 (the view converts what the user typed; the gateway checks again). */
const time = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time' });

/** The filters both `GET /audit` and the stream take. */
export const auditFilterSchema = z.strictObject({
  tool_name: word.optional(),
  status: z.enum(AUDIT_STATUSES).optional(),
  error_code: word.optional(),
  workspace_id: word.optional(),
  session_id: word.optional(),
  after: time.optional(),
  before: time.optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** An audit record id, or `"0"` (resume from the start: the view held nothing). */
const recordId = z.string().regex(/^\d{1,20}$/, 'must be an audit record id (digits)');

/** The host's stream, as the view shows it (`open`: live; `reconnecting`: it resumes by id by itself). */
export const streamStatusSchema = z.enum(['open', 'reconnecting', 'closed']);

export const auditProtocol = defineProtocol({
  name: 'audit',
  requests: {
    /** One page of `GET /audit`, newest first. */
    'audit/list': {
      params: z.strictObject({ filter: auditFilterSchema, limit: z.number().int().min(1).max(500), offset: z.number().int().min(0) }),
      result: auditPageSchema,
    },
    /** Opens (or replaces) this view's stream: records above `lastEventId` that match `filter`. */
    'audit/subscribe': {
      params: z.strictObject({ subscription: z.number().int().nonnegative(), filter: auditFilterSchema, lastEventId: recordId }),
      result: z.object({}),
    },
    /** Closes this view's stream (the view left live mode). */
    'audit/unsubscribe': { params: z.strictObject({}), result: z.object({}) },
    /** The names of the servers, rules and workspaces records name by id (`entity-names.ts`). */
    'audit/names': { params: z.strictObject({}), result: entityNamesSchema },
    /** The workspaces, for the workspace filter. */
    'audit/workspaces': { params: z.strictObject({}), result: z.array(workspaceAnswerSchema) },
  },
  toHost: { ...COMMON_TO_HOST },
  toView: {
    ...COMMON_TO_VIEW,
    /** Records of the stream, oldest first, as the gateway sent them. */
    'audit/records': z.object({ subscription: z.number().int(), records: z.array(auditRecordSchema).min(1) }),
    /** The stream's state changed; `error` says why a connection attempt failed (it retries by itself). */
    'audit/stream': z.object({ subscription: z.number().int(), status: streamStatusSchema, error: z.string().optional() }),
    /** Show the log with this filter (the `mcplexer.showAuditLog` command's argument). */
    'audit/applyFilter': z.object({ filter: auditFilterSchema }),
  },
});

export type AuditProtocol = typeof auditProtocol;
export type AuditToHost = ToHostMessage<AuditProtocol>;
export type AuditToView = ToViewMessage<AuditProtocol>;
