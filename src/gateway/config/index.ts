/**
 * config: the zod schemas of every entity, the lowdb store of `config.json` (atomic writes,
 * schema version and migrations, hand-edit reload, change events), the CRUD services the REST
 * API and the YAML import share, and the effective settings (defaults < stored < env).
 */
export * from './schemas/index.js';
export { openConfigStore, CONFIG_FILE, type ConfigStore } from './store.js';
export { effectiveSettings, envVarName, type EffectiveSettings } from './settings.js';
export { parseBody, parseValue, validationError, zodDetails, type Alias } from './parse.js';
export * from './services/index.js';
export { importYamlConfig, type YamlImportResult } from './yaml-import.js';
