import { findBoundsViolation } from './bounds.js';
import { SETTING_DEFAULTS, settingsSchema, type SettingKey, type Settings, type SettingSource, type StoredSettings } from './schemas/index.js';

export interface EffectiveSettings {
  settings: Settings;
  sources: Record<SettingKey, SettingSource>;
}

const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/** `MCPLEXER_<KEY>` for every setting; an empty variable counts as unset. */
export function envVarName(key: SettingKey): string {
  return `MCPLEXER_${key.toUpperCase()}`;
}

/** Defaults < stored < environment, with the source of each value. Invalid env values are ignored. */
export function effectiveSettings(stored: StoredSettings, env: NodeJS.ProcessEnv = process.env): EffectiveSettings {
  const settings = { ...SETTING_DEFAULTS } as Record<SettingKey, unknown>;
  const sources = {} as Record<SettingKey, SettingSource>;
  for (const key of Object.keys(SETTING_DEFAULTS) as SettingKey[]) {
    sources[key] = 'default';
    if (stored[key] !== undefined) {
      settings[key] = stored[key];
      sources[key] = 'stored';
    }
    const raw = env[envVarName(key)]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = parseEnvValue(key, raw);
    if (value !== undefined) {
      settings[key] = value;
      sources[key] = 'env';
    }
  }
  // Looked up by tool name (`overrides[name]`): no name may find Object.prototype's members.
  settings.tool_description_overrides = Object.assign(Object.create(null), settings.tool_description_overrides);
  return { settings: settings as Settings, sources };
}

function parseEnvValue(key: SettingKey, raw: string): unknown {
  const fieldSchema = settingsSchema.shape[key];
  const fallback = SETTING_DEFAULTS[key];
  let candidate: unknown = raw;
  if (typeof fallback === 'boolean') candidate = !FALSE_WORDS.has(raw.toLowerCase());
  else if (typeof fallback === 'number') candidate = Number(raw);
  else if (typeof fallback === 'object') {
    try {
      candidate = JSON.parse(raw);
    } catch {
      return undefined;
    }
    // Same bounds as a stored value: a "__proto__" key would otherwise vanish without a word.
    if (findBoundsViolation(candidate)) return undefined;
  } else candidate = raw.toLowerCase();
  const parsed = fieldSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
