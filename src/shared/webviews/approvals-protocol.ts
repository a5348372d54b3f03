/**
 * The Approvals view's message protocol: the pending requests with Approve / Deny (and a reason),
 * the history by status, and the live approvals stream relayed by the host. Shared by the host
 * handlers (`host/approvals-handlers.ts`, in a VS Code window and in the browser page) and the view
 * (`src/webview/approvals`); both parse what they receive with these schemas.
 */
import { z } from 'zod';
import { approvalEventSchema, approvalRecordSchema, approvalResolveResultSchema } from '../schemas/approvals.js';
import { COMMON_TO_HOST, COMMON_TO_VIEW } from './common-notes.js';
import { entityNamesSchema } from './entity-names.js';
import { defineProtocol, type ToHostMessage, type ToViewMessage } from './protocol.js';

/** The statuses of the history (`GET /approvals?status=`). */
export const HISTORY_STATUSES = ['approved', 'denied', 'timeout', 'cancelled'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

/** How many history records one page shows. */
export const HISTORY_PAGE = 50;

const id = z.string().min(1, 'must not be empty');

/** What the view is told of the relayed stream: `open` after each (re)connection (reload the pending: events may have been missed). */
export const approvalStreamStatusSchema = z.object({ status: z.enum(['open', 'reconnecting', 'closed']) });

export const approvalsProtocol = defineProtocol({
  name: 'approvals',
  requests: {
    /** `GET /approvals`: the pending requests, oldest first. */
    'approvals/pending': { params: z.strictObject({}), result: z.array(approvalRecordSchema) },
    /** `GET /approvals?status=…&limit&offset`: the history of one status, newest first. */
    'approvals/history': {
      params: z.strictObject({ status: z.enum(HISTORY_STATUSES), offset: z.number().int().min(0).optional() }),
      result: z.array(approvalRecordSchema),
    },
    /**
     * `POST /approvals/{id}/resolve` as the dashboard. An answer that came too late (409) is not an
     * error: `ok: false` with the record and "already … by …".
     */
    'approvals/resolve': {
      params: z.strictObject({ id, approved: z.boolean(), resolution: z.string().max(2000, 'at most 2000 characters').optional() }),
      result: z.discriminatedUnion('ok', [
        z.object({ ok: z.literal(true), result: approvalResolveResultSchema }),
        z.object({ ok: z.literal(false), approval: approvalRecordSchema, message: z.string() }),
      ]),
    },
    /**
     * The names of the servers, rules and workspaces the records name by id (`entity-names.ts`):
     * the view asks at load, after a config change, and for an id it has not seen.
     */
    'approvals/names': { params: z.strictObject({}), result: entityNamesSchema },
    /** Starts relaying `GET /approvals/stream` to this view (`approvals/event`); again = restart. */
    'approvals/subscribe': { params: z.strictObject({}), result: z.object({}) },
  },
  toHost: { ...COMMON_TO_HOST },
  toView: {
    ...COMMON_TO_VIEW,
    'approvals/event': approvalEventSchema,
    'approvals/stream': approvalStreamStatusSchema,
    /** Show this request (a notification's Details, `mcplexer.showPendingApprovals <id>`). */
    'approvals/focus': z.strictObject({ id }),
  },
});
export type ApprovalsProtocol = typeof approvalsProtocol;
export type ApprovalsToHost = ToHostMessage<ApprovalsProtocol>;
export type ApprovalsToView = ToViewMessage<ApprovalsProtocol>;
