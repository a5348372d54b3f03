import { z } from 'zod';

/** Every setting with its type and default; GET /settings reports where each value came from. */
export const settingsSchema = z.strictObject({
  slim_tools: z.boolean().default(true),
  tools_cache_ttl_sec: z.number().int().min(0).max(300).default(15),
  log_level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  codex_dynamic_tool_compat: z.boolean().default(true),
  tool_description_overrides: z.record(z.string(), z.string()).default({}),
  call_timeout_sec: z.number().int().min(1).max(86_400).default(120),
  default_policy: z.enum(['allow', 'deny']).default('allow'),
  approval_timeout_sec: z.number().int().min(1).max(86_400).default(300),
  approval_require_justification: z.boolean().default(false),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export type SettingSource = 'default' | 'stored' | 'env';

export const settingsUpdateSchema = settingsSchema.partial();
export const storedSettingsSchema = settingsSchema.partial();
export type StoredSettings = z.infer<typeof storedSettingsSchema>;

export const SETTING_DEFAULTS: Settings = settingsSchema.parse({});
