import { z } from 'zod';

/**
 * Every setting with its type; GET /settings reports where each value came from. The fields
 * carry no zod `.default()`: a partial schema would still fill them in, and then a PUT of one
 * field (or the stored settings) would hold every default and no longer say "default".
 */
export const settingsSchema = z.strictObject({
  slim_tools: z.boolean(),
  tools_cache_ttl_sec: z.number().int().min(0).max(300),
  log_level: z.enum(['debug', 'info', 'warn', 'error']),
  codex_dynamic_tool_compat: z.boolean(),
  tool_description_overrides: z.record(z.string(), z.string()),
  call_timeout_sec: z.number().int().min(1).max(86_400),
  default_policy: z.enum(['allow', 'deny']),
  approval_timeout_sec: z.number().int().min(1).max(86_400),
  approval_require_justification: z.boolean(),
  /** Also put approval requests to the calling client's user (elicitation) when the client can answer one. */
  approval_via_client: z.boolean(),
  /** An MCP session without a request or stream open for this long is closed (seconds). */
  session_idle_timeout_sec: z.number().int().min(1).max(604_800),
  /** At most this many 2025-era MCP sessions at once; `initialize` beyond it is refused (503). */
  max_sessions: z.number().int().min(1).max(100_000),
  /** At most this many event streams open at once (GET /mcp, GET /api/v1/events, GET /api/v1/…/stream); one more is refused (503). */
  max_sse_streams: z.number().int().min(1).max(100_000),
  start_timeout_sec: z.number().int().min(1).max(600),
  max_message_bytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024),
  /** How long a tools/list (resources/list, prompts/list) waits for servers never discovered before answering without them (ms). */
  tools_list_wait_ms: z.number().int().min(0).max(600_000),
  /** How long a session's first tools/list waits for the client's answer to roots/list (ms). */
  roots_wait_ms: z.number().int().min(0).max(60_000),
  /** Audit records older than this many days are deleted. */
  audit_retention_days: z.number().int().min(1).max(36_500),
  /** The audit records may occupy at most this many MiB of audit.db; the oldest go first. */
  audit_max_mb: z.number().int().min(1).max(1_000_000),
  /** Further words that mark an argument's key as secret (redacted in audit records and approvals), beside the built-in ones. */
  redaction_words: z.array(z.string().min(1).max(100)).max(500),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
/** Where a setting's effective value came from: defaults < stored < `MCPLEXER_<KEY>` env. */
export const settingSourceSchema = z.enum(['default', 'stored', 'env']);
export type SettingSource = z.infer<typeof settingSourceSchema>;

export const settingsUpdateSchema = settingsSchema.partial();
export const storedSettingsSchema = settingsSchema.partial();
export type StoredSettings = z.infer<typeof storedSettingsSchema>;

export const SETTING_DEFAULTS: Settings = settingsSchema.parse({
  slim_tools: true,
  tools_cache_ttl_sec: 15,
  log_level: 'info',
  codex_dynamic_tool_compat: true,
  tool_description_overrides: {},
  call_timeout_sec: 120,
  default_policy: 'allow',
  approval_timeout_sec: 300,
  approval_require_justification: false,
  approval_via_client: true,
  session_idle_timeout_sec: 1800,
  max_sessions: 1000,
  max_sse_streams: 1000,
  start_timeout_sec: 15,
  max_message_bytes: 32 * 1024 * 1024,
  tools_list_wait_ms: 2_000,
  roots_wait_ms: 2_000,
  audit_retention_days: 30,
  audit_max_mb: 500,
  redaction_words: [],
});
