/**
 * calls: the one call pipeline as named steps (normalise → route → approve → cache → invoke →
 * record; README.md) for tools/call, resources/read, prompts/get and completion/complete, the
 * settled call record it hands a pluggable sink (audit and metrics join there), the port it
 * calls the downstream pool through, the compiled runtime config it reads (router + catalog +
 * settings, rebuilt per change), the catalog's listed names, schemas and argument coercions
 * (computed once per change, never per call), resource URIs in the client's form, discovery and
 * its refresh, and the built-in `mcpx` tools.
 */
export { CallPipeline, type ClientHooks, type PipelineDependencies } from './pipeline.js';
export { cancelOrphanedApprovals } from './approval-orphans.js';
export { NO_RECORDS, type CallMethod, type CallRecord, type CallRecordSink, type CallStatus } from './call-record.js';
export { callRecordFields, dashboardRecordFields, type CallRecordFields } from './call-record-fields.js';
export { fanOutRecords } from './record-sinks.js';
export { MAX_MODEL_LENGTH, MODEL_META_KEY, modelNameProblem } from './declared-model.js';
export { RuntimeConfigHolder, type RuntimeConfig } from './runtime-config.js';
export { DiscoveryService } from './discovery.js';
export { BUILTIN_TOOL_DEFAULTS } from './builtin-tools.js';
export type { DownstreamPort, RelayHooks, DiscoveredLists, ToolCallParams } from './downstream-port.js';
export { clientCapabilityKey, MAX_TIMER_MS, withRoots, type Root } from './downstream-port.js';
export type { SessionView } from './session-view.js';
export { Catalog, type ToolEntry, type NamedEntry } from './catalog.js';
export { resolveToolName, type ResolvedToolName } from './steps/normalise.js';
export { listedName, LISTED_NAME_PATTERN } from './tool-names.js';
export { inToolSet, isCodexClient, routeTarget } from './session-view.js';
export { builtinToolDefinitions, hasDynamicServers, isBuiltinTool } from './builtin-tools.js';
export { clientUri, toGatewayUri, URI_PREFIX } from './resource-uri.js';
export { knownServers, resolveServerRefs } from './server-set.js';
export { explainVisibility, type ServerState, type VisibilityInput } from './visibility.js';
