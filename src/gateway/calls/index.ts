/**
 * calls: the one tool-call pipeline (normalise the name → route → policy → arguments →
 * credentials → downstream), the compiled runtime config it reads (router + catalog + settings,
 * rebuilt per change), the catalog's listed names, schemas and argument coercions (computed once
 * per change, never per call), discovery and its refresh, and the built-in `mcpx` tools.
 */
export { CallPipeline, type ClientHooks, type ToolCallParams } from './pipeline.js';
export { RuntimeConfigHolder, type RuntimeConfig } from './runtime-config.js';
export { DiscoveryService } from './discovery.js';
export { BUILTIN_TOOL_DEFAULTS } from './builtin-tools.js';
export type { DownstreamPort, RelayHooks, DiscoveredLists } from './downstream-port.js';
export { clientCapabilityKey } from './downstream-port.js';
export type { SessionView } from './session-view.js';
export { Catalog, type ToolEntry, type NamedEntry } from './catalog.js';
export { resolveToolName, type ResolvedToolName } from './resolve-name.js';
export { listedName, LISTED_NAME_PATTERN } from './tool-names.js';
export { isCodexClient } from './session-view.js';
export { builtinToolDefinitions, hasDynamicServers } from './builtin-tools.js';
