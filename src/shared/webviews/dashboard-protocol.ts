/**
 * The Dashboard view's message protocol, shared by the host (`host/dashboard-handlers.ts`, in a VS
 * Code window or the browser page) and the view (`src/webview/dashboard`); both parse what they
 * receive with these schemas.
 *
 * Live updates: the view asks once (`dashboard/subscribe {range}`); the host then reads the audit
 * stream (SSE) and, at most twice a second, fetches `GET /dashboard?range=` and posts it as
 * `dashboard/update`. The records themselves never cross to the view: at 200 calls/s that would be
 * 200 messages and renders a second for a chart whose buckets are a minute wide.
 */
import { z } from 'zod';
import { cacheStatsSchema, DASHBOARD_RANGES, dashboardSnapshotSchema, type DashboardRange, type DashboardSnapshotAnswer } from '../schemas/dashboard.js';
import { COMMON_TO_HOST, COMMON_TO_VIEW } from './common-notes.js';
import { defineProtocol, type ToHostMessage, type ToViewMessage } from './protocol.js';

export type DashboardSnapshot = DashboardSnapshotAnswer;
export { DASHBOARD_RANGES, type DashboardRange };

const range = z.enum(DASHBOARD_RANGES);

/** The live relay's state, as the view shows it beside the range picker. */
export const liveStatusSchema = z.object({
  status: z.enum(['connecting', 'open', 'reconnecting', 'closed']),
  /** Why the last connection attempt or snapshot fetch failed (kept until the next success). */
  error: z.string().optional(),
});
export type LiveStatus = z.infer<typeof liveStatusSchema>;

export const flushParamsSchema = z.strictObject({
  layer: z.enum(['all', 'tool_call', 'route']),
  /** Narrows a `tool_call` flush to one server (id, name or namespace). */
  server_id: z.string().min(1, 'must not be empty').optional(),
});
export type FlushParams = z.infer<typeof flushParamsSchema>;

export const dashboardProtocol = defineProtocol({
  name: 'dashboard',
  requests: {
    /** Starts (or re-aims at another range) this view's live relay; answers with a first snapshot. */
    'dashboard/subscribe': { params: z.strictObject({ range }), result: dashboardSnapshotSchema },
    /** One `GET /dashboard?range=` (the refresh button, a range change). */
    'dashboard/snapshot': { params: z.strictObject({ range }), result: dashboardSnapshotSchema },
    /** `POST /cache/flush`, with what it removed in words (stats read before and after). */
    'dashboard/flushCache': {
      params: flushParamsSchema,
      result: z.object({ message: z.string(), cache_stats: cacheStatsSchema }),
    },
  },
  toHost: { ...COMMON_TO_HOST },
  toView: {
    ...COMMON_TO_VIEW,
    /** A fresh snapshot (the live relay, throttled). */
    'dashboard/update': z.object({ snapshot: dashboardSnapshotSchema }),
    'dashboard/live': liveStatusSchema,
    /** Fetch again now (the Flush Caches command changed what the view shows). */
    'dashboard/refresh': z.strictObject({}),
  },
});
export type DashboardProtocol = typeof dashboardProtocol;
export type DashboardToHost = ToHostMessage<DashboardProtocol>;
export type DashboardToView = ToViewMessage<DashboardProtocol>;
