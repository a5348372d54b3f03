/**
 * The gateway's answers as the views read them, checked at both ends of the webview channel.
 * Entities use the shared entity schemas (`src/shared/schemas`); the other answers list only the
 * fields a view reads and let the rest through (`looseObject`), so a field the gateway adds later
 * never makes a view drop a message. Shapes: `GET /health`, `GET /visibility` (ISSUE16-CONTRACT.md),
 * `POST /dry-run` (docs/rest-api), `GET /workspaces`.
 */
import { z } from 'zod';
import { wireErrorSchema } from './protocol.js';

export const instanceAnswerSchema = z.looseObject({
  scope_id: z.string().nullable().optional(),
  state: z.string(),
  pid: z.number().int().optional(),
  in_flight: z.number().int().optional(),
});

export const serverHealthAnswerSchema = z.looseObject({
  server_id: z.string(),
  state: z.string(),
  instances: z.array(instanceAnswerSchema),
  last_error: z.string().optional(),
  stderr_tail: z.array(z.string()).optional(),
});
export type ServerHealthAnswer = z.infer<typeof serverHealthAnswerSchema>;

export const healthAnswerSchema = z.looseObject({
  status: z.string(),
  version: z.string(),
  downstreams: z.array(serverHealthAnswerSchema),
});
export type HealthAnswer = z.infer<typeof healthAnswerSchema>;

/** Why a server's tools are or are not visible from this window's folders (`GET /visibility`). */
export { VISIBILITY_REASONS, type VisibilityReason } from '../schemas/daemon.js';

export const visibilityServerSchema = z.looseObject({
  server_id: z.string(),
  name: z.string(),
  namespace: z.string(),
  state: z.string(),
  tools_total: z.number().int(),
  tools_visible: z.number().int(),
  // A string, not the enum: a reason added later is shown with the gateway's own message.
  reason: z.string(),
  message: z.string(),
  rule: z.looseObject({ id: z.string(), name: z.string().optional(), workspace_id: z.string() }).optional(),
  error: z.string().optional(),
  hint: z.string().optional(),
  stderr_tail: z.array(z.string()).optional(),
  hidden_tools: z.array(z.string()).optional(),
  /** The OAuth account it waits for (issue 19), whatever the reason. */
  oauth: z.looseObject({ auth_scope_id: z.string(), auth_scope_name: z.string(), status: z.string(), error: z.string().optional() }).optional(),
});
export type VisibilityServer = z.infer<typeof visibilityServerSchema>;

export const visibilityAnswerSchema = z.looseObject({
  workspace_ids: z.array(z.string()),
  servers: z.array(visibilityServerSchema),
});
export type VisibilityAnswer = z.infer<typeof visibilityAnswerSchema>;

export const workspaceAnswerSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  root_path: z.string(),
  default_policy: z.string(),
});
export type WorkspaceAnswer = z.infer<typeof workspaceAnswerSchema>;

const ruleFields = {
  id: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  workspace_id: z.string(),
  server_id: z.string().optional(),
  tool_pattern: z.union([z.string(), z.array(z.string())]),
  path_glob: z.string(),
  policy: z.enum(['allow', 'deny', 'approve']),
  priority: z.number().int(),
  approval_mode: z.enum(['none', 'write', 'all']),
  approval_timeout_sec: z.number().int().optional(),
  approval_channels: z.array(z.string()).optional(),
  auth_scope_id: z.string().optional(),
  source: z.string().optional(),
};
export const ruleAnswerSchema = z.looseObject(ruleFields);
export type RuleAnswer = z.infer<typeof ruleAnswerSchema>;

/** One rule of the chain in evaluation order, as dry-run reports it. */
export const candidateRuleSchema = z.looseObject({
  ...ruleFields,
  evaluated_in: z.string(),
  subpath: z.string(),
  matched: z.boolean(),
  decided: z.boolean(),
  mismatch: z.string().optional(),
  note: z.string(),
});
export type CandidateRule = z.infer<typeof candidateRuleSchema>;

export const dryRunAnswerSchema = z.looseObject({
  tool_name: z.string().optional(),
  matched: z.boolean(),
  policy: z.enum(['allow', 'deny', 'approve']),
  reason: z.string(),
  approval_required: z.boolean(),
  error_code: z.string().optional(),
  workspace: workspaceAnswerSchema,
  chain: z.array(z.object({ workspace_id: z.string(), subpath: z.string() })),
  matched_rule: ruleAnswerSchema.optional(),
  downstream_server: z.looseObject({ id: z.string(), name: z.string(), namespace: z.string() }).optional(),
  candidate_rules: z.array(candidateRuleSchema),
});
export type DryRunAnswer = z.infer<typeof dryRunAnswerSchema>;

/** A part of an answer that may have failed on its own (the rest of the view still shows). */
export function settled<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: wireErrorSchema })]);
}
export type Settled<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof wireErrorSchema> };

/** The connection to the daemon, relayed by the host (GatewayConnection's state). */
export const gatewayStateSchema = z.object({
  state: z.enum(['attaching', 'ready', 'error']),
  url: z.string().optional(),
  /** The host can restart the gateway (the extension); absent: it cannot (the browser page, which the gateway serves). */
  restart: z.boolean().optional(),
});
export type GatewayStateNote = z.infer<typeof gatewayStateSchema>;

/** One daemon event (`GET /api/v1/events`), flattened by the host for the view. */
export const gatewayEventNoteSchema = z.object({
  type: z.string(),
  server_id: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  kinds: z.array(z.string()).optional(),
});
export type GatewayEventNote = z.infer<typeof gatewayEventNoteSchema>;
