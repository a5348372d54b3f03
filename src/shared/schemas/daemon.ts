/**
 * STUB by the contract part (E1) of issue 16, with exactly the shapes of ISSUE16-CONTRACT.md; the
 * daemon part (E2) owns this file and its version replaces this one at merge. Wire schemas of the
 * daemon endpoints: windows and their leases, drain, visibility, restart, and the events stream.
 */
import { z } from 'zod';
import { instanceStateSchema } from './health.js';

/** `POST /api/v1/windows`: a VS Code window registers its folders (absolute paths). */
export const windowRegisterSchema = z.strictObject({
  window_id: z.string().min(1, 'must not be empty'),
  folders: z.array(z.string().min(1, 'must not be empty')),
  client: z.string(),
  version: z.string(),
});
export type WindowRegister = z.infer<typeof windowRegisterSchema>;

/** `POST /windows` (201) and `PUT /windows/{id}/lease` (200): the lease (60 s; renew every 20 s). */
export const windowLeaseSchema = z.object({ window_id: z.string(), lease_sec: z.number(), expires_at: z.string() });
export type WindowLease = z.infer<typeof windowLeaseSchema>;

/** `GET /windows`: one entry per registered window. */
export const windowInfoSchema = z.object({
  window_id: z.string(),
  folders: z.array(z.string()),
  client: z.string(),
  version: z.string(),
  registered_at: z.string(),
  expires_at: z.string(),
});
export type WindowInfo = z.infer<typeof windowInfoSchema>;

/** `POST /drain` (202). */
export const drainResultSchema = z.object({ draining: z.literal(true), in_flight: z.number().int() });
export type DrainResult = z.infer<typeof drainResultSchema>;

/** `GET /visibility?dir=…&dir=…[&servers=a,b]`. */
export interface VisibilityQuery {
  /** The window's folders (absolute paths). */
  dir: readonly string[];
  /** The window's tool set (server ids or namespaces), if it has one. */
  servers?: readonly string[];
}

export const visibilityReasonSchema = z.enum(['visible', 'not_started', 'disabled', 'failed', 'dynamic', 'hidden_by_rule', 'no_tools', 'not_in_window_set']);
export type VisibilityReason = z.infer<typeof visibilityReasonSchema>;

export const serverVisibilitySchema = z.object({
  server_id: z.string(),
  name: z.string(),
  namespace: z.string(),
  state: z.string(),
  tools_total: z.number().int(),
  tools_visible: z.number().int(),
  reason: visibilityReasonSchema,
  message: z.string(),
  rule: z.object({ id: z.string(), name: z.string().optional(), workspace_id: z.string() }).optional(),
  error: z.string().optional(),
  hint: z.string().optional(),
  stderr_tail: z.array(z.string()).optional(),
  hidden_tools: z.array(z.string()).optional(),
});
export type ServerVisibility = z.infer<typeof serverVisibilitySchema>;

/** Why each server's tools are or are not visible from the given folders. */
export const visibilitySchema = z.object({ workspace_ids: z.array(z.string()), servers: z.array(serverVisibilitySchema) });
export type Visibility = z.infer<typeof visibilitySchema>;

/** The kinds of entity a `config.changed` event names. */
export const configKindSchema = z.enum(['workspaces', 'downstreams', 'routes', 'auth_scopes', 'settings']);
export type ConfigKind = z.infer<typeof configKindSchema>;

/**
 * One event of `GET /api/v1/events` (SSE: `id: <n>`, `event: <type>`, `data: <json>`), as the
 * reader hands it on: `id` is the SSE id (what `Last-Event-ID` resumes from), `type` the SSE event
 * name, `data` the parsed JSON. `resync` means events were lost: refetch everything.
 */
export const gatewayEventSchema = z.discriminatedUnion('type', [
  z.object({
    id: z.string(),
    type: z.literal('downstream.state'),
    data: z.object({ server_id: z.string(), scope_id: z.string().nullable(), state: instanceStateSchema, error: z.string().optional() }),
  }),
  z.object({ id: z.string(), type: z.literal('config.changed'), data: z.object({ kinds: z.array(configKindSchema) }) }),
  z.object({ id: z.string(), type: z.literal('tools.changed'), data: z.object({ server_id: z.string() }) }),
  z.object({ id: z.string(), type: z.literal('windows.changed'), data: z.object({}) }),
  z.object({ id: z.string(), type: z.literal('resync'), data: z.object({}) }),
]);
export type GatewayEvent = z.infer<typeof gatewayEventSchema>;
export type GatewayEventType = GatewayEvent['type'];
