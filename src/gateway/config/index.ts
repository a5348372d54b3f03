/**
 * config: the zod schemas of every entity, the lowdb store of `config.json` (atomic writes,
 * schema version and migrations, hand-edit reload, change events), the CRUD services the REST
 * API and the YAML import share, the effective settings (defaults < stored < env), and the
 * bounds of every stored value (depth, size, keys).
 */
export * from './schemas/index.js';
export { openConfigStore, CONFIG_FILE, type ConfigStore } from './store.js';
export { effectiveSettings, envVarName, type EffectiveSettings } from './settings.js';
export { parseBody, parseValue, validationError, zodDetails, zodWording, type Alias } from './parse.js';
export * from './services/index.js';
export { STORED_VALUE_LIMITS, UNSTORABLE_KEYS, findBoundsViolation, assertWithinBounds, tooDeepWording, type BoundsViolation } from './bounds.js';
export { exceedsDepth, findDepthViolation, type DepthPath } from './depth.js';
export { boundDiscovered, boundInstructions, DISCOVERED_LISTS, type DroppedItem, type DiscoveredListName } from './state-bounds.js';
export { importYamlConfig, type YamlImportResult } from './yaml-import.js';
export { parseQuery, queryParameters, textParam, choiceParam, wholeParam, listParam, customParam, type QueryShape, type QueryParamMeta } from './query.js';
