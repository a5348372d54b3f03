import type { ApprovalService } from '../approvals/index.js';
import type { ToolCallCache } from '../cache/index.js';
import { GatewayError } from '../errors.js';
import { APPROVAL_TOOL_DEFAULTS, APPROVAL_TOOL_SCHEMAS, callApprovalTool } from './builtin-approval-tools.js';
import { FLUSH_CACHE_DESCRIPTION, FLUSH_CACHE_SCHEMA, FLUSH_CACHE_TOOL, flushCacheTool } from './builtin-flush-cache.js';
import type { ToolEntry } from './catalog.js';
import type { RuntimeConfig } from './runtime-config.js';
import { inToolSet, isCodexClient, routeTarget, type SessionView } from './session-view.js';
import { formatSearchHit, globToRegExp, MAX_SEARCH_RESULTS, searchTools } from './tool-search.js';

type ToolResult = Record<string, unknown>;

/** What the built-ins reach beyond the config and the session (the pipeline passes its dependencies). */
export interface BuiltinServices {
  cache?: ToolCallCache;
  approvals: ApprovalService;
}

/** The built-in `mcpx` tools of this version, with their default descriptions (GET /settings shows them). */
export const BUILTIN_TOOL_DEFAULTS: Record<string, string> = {
  mcpx__search_tools:
    'Search the tools of servers that are not listed up front (dynamic discovery) by keyword. Returns up to 20 matching tools with their descriptions and parameters; load the ones you need with mcpx__load_tools.',
  mcpx__load_tools:
    'Load tools found with mcpx__search_tools into this session so they appear in the tool list. Takes exact names or globs with * (e.g. "github__*issue*").',
  mcpx__unload_tools: "Remove tools loaded with mcpx__load_tools from this session's tool list. Takes exact names or globs with *.",
  [FLUSH_CACHE_TOOL]: FLUSH_CACHE_DESCRIPTION,
  ...APPROVAL_TOOL_DEFAULTS,
};

const stringList = { type: 'array', items: { type: 'string' }, minItems: 1 };
const SCHEMAS: Record<string, Record<string, unknown>> = {
  mcpx__search_tools: {
    type: 'object',
    properties: { query: { type: 'string', description: 'keywords' }, namespace: { type: 'string', description: 'only this server namespace' } },
    required: ['query'],
  },
  mcpx__load_tools: { type: 'object', properties: { tools: stringList }, required: ['tools'] },
  mcpx__unload_tools: { type: 'object', properties: { tools: stringList }, required: ['tools'] },
};

/** Whether `mcpx__…` `name` is a built-in tool: the gateway knows every one (dry-run refuses the others as a call does). */
export function isBuiltinTool(name: string): boolean {
  return Object.hasOwn(BUILTIN_TOOL_DEFAULTS, name);
}

/** Built-ins listed whatever the servers (ORIGINAL.md: `mcpx__flush_cache` and the three approval tools are always listed). */
const ALWAYS_LISTED: Record<string, Record<string, unknown>> = { [FLUSH_CACHE_TOOL]: FLUSH_CACHE_SCHEMA, ...APPROVAL_TOOL_SCHEMAS };

const text = (value: string): ToolResult => ({ content: [{ type: 'text', text: value }] });

/** The built-in tool definitions a session lists: the dynamic-discovery tools while a dynamic server exists, then those always listed (the cache flush and the approval tools). */
export function builtinToolDefinitions(config: RuntimeConfig): Array<Record<string, unknown>> {
  const schemas = hasDynamicServers(config) ? { ...SCHEMAS, ...ALWAYS_LISTED } : ALWAYS_LISTED;
  return Object.keys(schemas).map((name) => ({
    name,
    description: config.settings.tool_description_overrides[name] ?? BUILTIN_TOOL_DEFAULTS[name],
    inputSchema: schemas[name],
  }));
}

/** Whether an enabled server has `discovery: dynamic` (the discovery built-ins are listed only then). */
export function hasDynamicServers(config: RuntimeConfig): boolean {
  return config.catalog.servers.some((server) => server.enabled && server.discovery === 'dynamic');
}

/** Dynamic tools this session may call: those of its tool set that its workspace routes let through. */
function allowedDynamicTools(config: RuntimeConfig, session: SessionView): { all: ToolEntry[]; allowed: ToolEntry[] } {
  const all = config.catalog.tools.filter((entry) => entry.server.discovery === 'dynamic' && inToolSet(session, entry.server.id));
  const target = routeTarget(session);
  const allowed = all.filter((entry) => !config.router.decide(target, entry.fullName, { owner: entry.server, readOnly: entry.readOnly }).error_code);
  return { all, allowed };
}

/**
 * Answers a built-in `mcpx` tool (after the pipeline routed it): a text tool result.
 *
 * @param name the full name (`mcpx__…`, the legacy `mcplexer__` already normalised)
 * @throws GatewayError `invalid_params` (a missing or empty `query`, `tools` not a non-empty list of
 *   strings, an unknown `server_id`, an approval tool's missing `approval_id` or denial `reason`), `unknown_tool` (no such built-in)
 */
export function callBuiltinTool(
  name: string,
  args: Record<string, unknown> | undefined,
  config: RuntimeConfig,
  session: SessionView,
  services: BuiltinServices,
): ToolResult | Promise<ToolResult> {
  if (name in APPROVAL_TOOL_SCHEMAS) return callApprovalTool(name, args, services.approvals, session);
  switch (name) {
    case FLUSH_CACHE_TOOL:
      return flushCacheTool(args, config, services.cache);
    case 'mcpx__search_tools':
      return search(args, config, session);
    case 'mcpx__load_tools':
      return changeActive(args, config, session, 'load');
    case 'mcpx__unload_tools':
      return changeActive(args, config, session, 'unload');
    default:
      throw new GatewayError('unknown_tool', `unknown built-in tool "${name}"`);
  }
}

function search(args: Record<string, unknown> | undefined, config: RuntimeConfig, session: SessionView): ToolResult {
  const query = args?.query;
  if (typeof query !== 'string' || !query.trim()) throw new GatewayError('invalid_params', 'mcpx__search_tools needs a non-empty "query" string');
  if (!hasDynamicServers(config)) return text('No dynamic servers configured.');
  const namespace = typeof args?.namespace === 'string' ? args.namespace : undefined;
  const scope = (entries: ToolEntry[]) => (namespace ? entries.filter((e) => e.server.namespace === namespace) : entries);
  const { all, allowed } = allowedDynamicTools(config, session);
  const hits = searchTools(scope(allowed), query).slice(0, MAX_SEARCH_RESULTS);
  if (hits.length === 0) {
    const blocked = searchTools(scope(all), query).length;
    if (blocked > 0) return text(`Blocked: ${blocked} tools matched "${query}" but none are allowed by your workspace routes.`);
    return text(`No tools matched "${query}".`);
  }
  return text(hits.map(formatSearchHit).join('\n\n'));
}

function changeActive(args: Record<string, unknown> | undefined, config: RuntimeConfig, session: SessionView, mode: 'load' | 'unload'): ToolResult {
  const patterns = args?.tools;
  if (!Array.isArray(patterns) || patterns.length === 0 || patterns.some((p) => typeof p !== 'string' || !p)) {
    throw new GatewayError('invalid_params', `mcpx__${mode}_tools needs "tools": a non-empty list of tool names or globs`);
  }
  const matchers = (patterns as string[]).map(globToRegExp);
  // Loaded tools are kept by full name; a pattern may use the listed name or the full one.
  const named = (entry: ToolEntry) => ({ full: entry.fullName, listed: entry.listedName });
  const candidates =
    mode === 'load'
      ? allowedDynamicTools(config, session).allowed.map(named)
      : [...session.active].map((full) => {
          const entry = config.catalog.tool(full);
          return entry ? named(entry) : { full, listed: full };
        });
  const matched = candidates.filter((c) => matchers.some((m) => m.test(c.full) || m.test(c.listed)));
  for (const { full } of matched) {
    if (mode === 'load') session.active.add(full);
    else session.active.delete(full);
  }
  if (matched.length > 0 && !(mode === 'load' && isCodexClient(session) && config.settings.codex_dynamic_tool_compat)) session.toolsChanged();
  const verb = mode === 'load' ? 'Loaded' : 'Unloaded';
  return text(
    matched.length
      ? `${verb} ${matched.length} tool(s): ${matched.map((c) => c.listed).join(', ')}`
      : `${verb} 0 tool(s): nothing matched ${JSON.stringify(patterns)}`,
  );
}
