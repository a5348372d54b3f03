/**
 * Wire schemas of the daemon's endpoints for editor windows and views (issue 16): windows and
 * their leases, drain, the event stream, visibility and restart. Pure zod (no Node, no DOM): the
 * gateway validates with these, the REST client and the views type their answers with them.
 * Shapes: ISSUE16-CONTRACT.md "E2"; docs/daemon.md describes each endpoint.
 */
import { z } from 'zod';

/** An absolute path on any OS the daemon runs on: `/…`, `C:\…` or `C:/…`, or a UNC `\\server\share`. */
const ABSOLUTE = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;
export const absolutePathSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .regex(ABSOLUTE, 'must be an absolute path (e.g. /home/me/project)');

const label = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

// ---- windows ----------------------------------------------------------------------------------

/** `POST /api/v1/windows`: an editor window says it is there, with its folders. */
export const windowRegistrationSchema = z.strictObject({
  window_id: label,
  folders: z.array(absolutePathSchema).max(256, 'at most 256 folders'),
  client: label,
  version: label,
});
export type WindowRegistration = z.infer<typeof windowRegistrationSchema>;

/** The answer to a registration (201) and to a renewal (`PUT /windows/{id}/lease`, 200). */
export const windowLeaseSchema = z.object({
  window_id: z.string(),
  /** How long the lease lasts from now, in seconds (60; windows renew every 20 s). */
  lease_sec: z.number(),
  /** ISO 8601 UTC. */
  expires_at: z.string(),
});
export type WindowLease = z.infer<typeof windowLeaseSchema>;

/** One live window, as `GET /api/v1/windows` lists it (in registration order). */
export const windowInfoSchema = z.object({
  window_id: z.string(),
  folders: z.array(z.string()),
  client: z.string(),
  version: z.string(),
  registered_at: z.string(),
  expires_at: z.string(),
});
export type WindowInfo = z.infer<typeof windowInfoSchema>;

// ---- drain and restart --------------------------------------------------------------------------

/** `POST /api/v1/drain` (202): new MCP sessions are refused from now on; it stops once `in_flight` calls end. */
export const drainResponseSchema = z.object({ draining: z.literal(true), in_flight: z.number() });
export type DrainResponse = z.infer<typeof drainResponseSchema>;

/** `POST /api/v1/downstreams/{id}/restart` (202): its instances were stopped; the next call starts them. */
export const restartResponseSchema = z.object({ status: z.literal('restarting'), server_id: z.string() });
export type RestartResponse = z.infer<typeof restartResponseSchema>;

// ---- events -------------------------------------------------------------------------------------

export const CONFIG_KINDS = ['workspaces', 'downstreams', 'routes', 'auth_scopes', 'settings'] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

/** The `data` of each event type of `GET /api/v1/events`. */
export interface GatewayEventData {
  /** An instance of a downstream server changed state (`error` for `failed`, redacted). */
  'downstream.state': { server_id: string; scope_id: string | null; state: string; error?: string };
  /** Entities or settings changed: refetch those lists. */
  'config.changed': { kinds: ConfigKind[] };
  /** A server's discovered tools changed. */
  'tools.changed': { server_id: string };
  /** A window registered, left, or its lease expired: refetch `GET /windows`. */
  'windows.changed': Record<string, never>;
  /** Events were missed (the ring moved past `Last-Event-ID`, or the daemon restarted): refetch everything. */
  resync: Record<string, never>;
}
export type GatewayEventType = keyof GatewayEventData;
export const GATEWAY_EVENT_TYPES: readonly GatewayEventType[] = ['downstream.state', 'config.changed', 'tools.changed', 'windows.changed', 'resync'];

/** One event as the stream carries it: `id: <n>`, `event: <type>`, `data: <json>`. */
export type GatewayEvent = { [T in GatewayEventType]: { id: number; type: T; data: GatewayEventData[T] } }[GatewayEventType];

/**
 * One event as a reader checks it (`GatewayEventStream`): the shapes of `GatewayEventData`, with
 * the SSE id as a number. Fields a newer gateway adds pass (objects are not strict).
 */
export const gatewayEventSchema = z.discriminatedUnion('type', [
  z.object({
    id: z.number(),
    type: z.literal('downstream.state'),
    data: z.object({ server_id: z.string(), scope_id: z.string().nullable(), state: z.string(), error: z.string().optional() }),
  }),
  z.object({ id: z.number(), type: z.literal('config.changed'), data: z.object({ kinds: z.array(z.enum(CONFIG_KINDS)) }) }),
  z.object({ id: z.number(), type: z.literal('tools.changed'), data: z.object({ server_id: z.string() }) }),
  z.object({ id: z.number(), type: z.literal('windows.changed'), data: z.object({}) }),
  z.object({ id: z.number(), type: z.literal('resync'), data: z.object({}) }),
]);

/** The SSE `Last-Event-ID` header (or `?last_event_id=`): the id of the last event the client saw. */
export const lastEventIdSchema = z
  .string()
  .regex(/^\d{1,15}$/, 'must be the id of an event (a non-negative integer)')
  .transform((value) => Number(value));

/** Events kept for replay with `Last-Event-ID`; an older id gets `resync`. */
export const EVENT_RING_SIZE = 1000;

// ---- visibility -----------------------------------------------------------------------------------

/** `GET /api/v1/visibility?dir=<abs>&dir=<abs>[&servers=<id|namespace>,…]`. */
export const visibilityQuerySchema = z.strictObject({
  dir: z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(absolutePathSchema).min(1, 'give at least one dir').max(256)),
  servers: z
    .string()
    .max(8192)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .optional(),
});
export type VisibilityQuery = z.input<typeof visibilityQuerySchema>;

export const VISIBILITY_REASONS = [
  'visible',
  'not_started',
  'disabled',
  'failed',
  'dynamic',
  'needs_authorization',
  'hidden_by_rule',
  'no_tools',
  'not_in_window_set',
] as const;
export type VisibilityReason = (typeof VISIBILITY_REASONS)[number];

/** Why one server's tools are, or are not, listed for those folders. */
export const serverVisibilitySchema = z.object({
  server_id: z.string(),
  name: z.string(),
  namespace: z.string(),
  /** The pool's state (`ready|busy|idle|starting|stopping|stopped|disabled|failed`). */
  state: z.string(),
  /** Tools discovered. */
  tools_total: z.number(),
  /** Tools tools/list shows from those folders (a dynamic server's: 0; they are reached through mcpx__search_tools). */
  tools_visible: z.number(),
  reason: z.enum(VISIBILITY_REASONS),
  /** The same in words, with what to do. */
  message: z.string(),
  /** `hidden_by_rule`: the rule that decided (none when a default policy did). */
  rule: z.object({ id: z.string(), name: z.string().optional(), workspace_id: z.string() }).optional(),
  /** The last start or discovery error (redacted), its hint, and the newest stderr lines. */
  error: z.string().optional(),
  hint: z.string().optional(),
  stderr_tail: z.array(z.string()).optional(),
  /** Listed names of the tools a rule or default policy hides from those folders. */
  hidden_tools: z.array(z.string()).optional(),
  /**
   * An OAuth account this server waits for, whatever the reason (`needs_authorization` when it has
   * no tools because of it): the `oauth2` scope of its route with no token (`not_connected`) or
   * whose last exchange or refresh failed (`expired`, `error` says why). Connect it with
   * GET /auth-scopes/{auth_scope_id}/oauth/authorize ("MCPlexer: Connect Account…").
   */
  oauth: z
    .object({ auth_scope_id: z.string(), auth_scope_name: z.string(), status: z.enum(['not_connected', 'expired']), error: z.string().optional() })
    .optional(),
});
export type ServerVisibility = z.infer<typeof serverVisibilitySchema>;

export const visibilityReportSchema = z.object({
  /** The most specific workspace of each folder, in order, without repeats. */
  workspace_ids: z.array(z.string()),
  servers: z.array(serverVisibilitySchema),
});
export type VisibilityReport = z.infer<typeof visibilityReportSchema>;
