import { z } from 'zod';

/**
 * What `GET /api/v1/health` and `GET /api/v1/downstreams/{id}/health` answer. The gateway's
 * health builder (src/gateway/http/health-report.ts) returns these types, so the two cannot drift.
 */

/** A server instance's lifecycle state; a server shows its instances' most telling one (`disabled` when it is off). */
export const instanceStateSchema = z.enum(['ready', 'busy', 'idle', 'starting', 'stopping', 'stopped', 'disabled', 'failed']);
export type InstanceState = z.infer<typeof instanceStateSchema>;

/** One running instance of a server: one per (auth scope, client capability set). Times are ISO 8601 UTC. */
export const instanceHealthSchema = z.object({
  /** The instance's opaque id, as audit records name it in `downstream_instance_id`. */
  instance_id: z.string().optional(),
  scope_id: z.string().nullable(),
  state: instanceStateSchema,
  transport: z.enum(['stdio', 'streamable_http', 'sse']).optional(),
  pid: z.number().int().optional(),
  /** Calls in flight on this instance now. */
  in_flight: z.number().int(),
  started_at: z.string().optional(),
  last_error: z.string().optional(),
  last_error_at: z.string().optional(),
  consecutive_failures: z.number().int(),
});
export type InstanceHealth = z.infer<typeof instanceHealthSchema>;

/** An item discovery left out (beyond the stored-value bounds): its list, its name and why. */
export const droppedItemSchema = z.object({
  list: z.enum(['tools', 'resources', 'resource_templates', 'prompts']),
  /** The item's `name` (tools, prompts), `uri` or `uriTemplate` (resources), or its index. */
  name: z.string(),
  reason: z.string(),
});
export type DroppedItem = z.infer<typeof droppedItemSchema>;

/**
 * One downstream server's health. A server the pool never started has `state: "ready"` and no
 * instances on `GET /downstreams/{id}/health`; `stderr_tail` is redacted.
 */
export const downstreamHealthSchema = z.object({
  server_id: z.string(),
  name: z.string(),
  namespace: z.string(),
  state: instanceStateSchema,
  instances: z.array(instanceHealthSchema),
  last_error: z.string().optional(),
  last_error_at: z.string().optional(),
  consecutive_failures: z.number().int().optional(),
  stderr_tail: z.array(z.string()).optional(),
  /**
   * A stdio server's stdout lines that are not JSON-RPC (it must log to stderr): how many it wrote
   * and the newest 20 (redacted, each at most 2000 characters); absent when there were none.
   */
  stdout_not_jsonrpc: z.object({ count: z.number().int(), tail: z.array(z.string()) }).optional(),
  discovery_dropped: z.array(droppedItemSchema).optional(),
  /** The catalog's reasons for items of this server it could not list. */
  warnings: z.array(z.string()).optional(),
});
export type DownstreamHealth = z.infer<typeof downstreamHealthSchema>;

/** Without an `Authorization` header health answers only this (a liveness probe; the original's shape). */
export const publicHealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_seconds: z.number(),
  /** `headless` (`serve`) or how else the daemon was started. */
  mode: z.string(),
  /**
   * Asked with `X-MCPlexer-Challenge`: the proof that this gateway holds its data dir's API token,
   * without the asker sending it (`healthProofMessage`). A client checks it before it sends the token.
   */
  proof: z.string().optional(),
});
export type PublicHealth = z.infer<typeof publicHealthSchema>;

/** `GET /health` with the token: the whole report. `status` is `degraded` while a config reload fails (`config_error`). */
export const healthSchema = publicHealthSchema.extend({
  data_dir: z.string(),
  /** `host:port` the gateway listens on. */
  http_addr: z.string(),
  config_file: z.string(),
  config_error: z.string().optional(),
  /** The daemon's pid (issue 16: the daemon part fills it). */
  pid: z.number().int().optional(),
  /** True while the daemon drains before it stops (issue 16: the daemon part fills it). */
  draining: z.boolean().optional(),
  downstreams: z.array(downstreamHealthSchema),
});
export type Health = z.infer<typeof healthSchema>;

/** The header a client sends its challenge in (`GET /health`), and the challenge's form: 16–128 base64url characters. */
export const HEALTH_CHALLENGE_HEADER = 'x-mcplexer-challenge';
export const HEALTH_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * What a gateway signs to prove it holds the API token: `proof` is the base64url HMAC-SHA256 of
 * this text keyed with the token (RFC 2104). The token never travels to prove it: a program that
 * took the port named in a stale `gateway.lock` (after a crash or a reboot, another local user)
 * learns nothing from a client that checks the proof before it sends the token. The port the
 * gateway listens on is signed too: a program on another port that relays the challenge to the
 * real gateway and its proof back (a trial) relays a proof for the wrong port.
 *
 * @param challenge the client's random challenge (16–128 base64url characters)
 * @param port the port the client asked, which the gateway must be listening on
 */
export function healthProofMessage(challenge: string, port: number): string {
  return `mcplexer-health-proof-v2\n${port}\n${challenge}`;
}
