/**
 * calls: the one tool-call pipeline (route → policy → credentials → downstream), the compiled
 * runtime config it reads (router + catalog + settings, rebuilt per change), discovery and its
 * refresh, and the built-in `mcpx` tools.
 */
export { CallPipeline, type ClientHooks, type ToolCallParams } from './pipeline.js';
export { RuntimeConfigHolder, type RuntimeConfig } from './runtime-config.js';
export { DiscoveryService } from './discovery.js';
export { BUILTIN_TOOL_DEFAULTS } from './builtin-tools.js';
export type { DownstreamPort, RelayHooks, DiscoveredLists } from './downstream-port.js';
export { clientCapabilityKey } from './downstream-port.js';
export type { SessionView } from './session-view.js';
export { Catalog, type ToolEntry } from './catalog.js';
export { isCodexClient } from './session-view.js';
export { builtinToolDefinitions, hasDynamicServers } from './builtin-tools.js';
