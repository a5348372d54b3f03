import type { ServerVisibility, VisibilityReport } from '../../shared/schemas/daemon.js';
import { BUILTIN_SERVER_ID, GLOBAL_WORKSPACE_ID, type DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { builtinToolDefinitions } from './builtin-tools.js';
import { folderSet, type Decision } from '../routing/index.js';
import type { ToolEntry } from './catalog.js';
import type { RuntimeConfig } from './runtime-config.js';
import { knownServers, resolveServerRefs } from './server-set.js';
import { oauthNeed, type OAuthNeed } from './oauth-need.js';
import { checkTool } from './tool-check.js';

/** What the pool and discovery know of a server's state (health's view, already redacted). */
export interface ServerState {
  server_id: string;
  state: string;
  last_error?: string;
  stderr_tail?: string[];
}

/** The folders of a window and, optionally, its tool set (server ids or namespaces). */
export interface VisibilityInput {
  dirs: readonly string[];
  servers?: readonly string[];
}

const STDERR_LINES = 20;

/** Whether a discovered tool can be listed at all (`checkTool`), kept per tool object: a config's tools stay the same objects until it changes. */
const listable = new WeakMap<object, boolean>();

/**
 * The server's tools that could be listed: those `checkTool` refuses (no valid schema, only
 * callable as a task) are never listed, whatever the rules, and their server's health says why;
 * counted as hidden here, they made "1 of 16 tools hidden" with no tool named.
 */
function listableCount(server: DownstreamServer): number {
  let count = 0;
  for (const tool of server.tools) {
    let ok = listable.get(tool);
    if (ok === undefined) listable.set(tool, (ok = checkTool(tool as Record<string, unknown>).ok));
    if (ok) count += 1;
  }
  return count;
}

/**
 * Why each server's tools are, or are not, listed for a window: the same checks tools/list runs
 * (`mcp/tool-list.ts`), in the same order, with the decision of the router's one `decide()` over
 * the window's folders (several: the strictest). Reasons, first that applies: `not_in_window_set`,
 * `disabled`, `dynamic` (started or not), `needs_authorization` (never discovered, an OAuth scope on its
 * route not connected or expired), `failed` (nothing discovered and a start or discovery error), `not_started` (lazy,
 * never discovered), `no_tools`, `hidden_by_rule` (every tool hidden: the deciding
 * rule of the first), else `visible` (with the tools a rule hides, if any). A server's error,
 * hint and stderr tail come along whatever the reason. The built-in server comes first with the
 * `mcpx__` tools tools/list shows from there (listed whatever the window set), so the entries'
 * `tools_visible` add up to what tools/list lists: the Copilot tool budget counts on that sum.
 * @throws GatewayError `validation_failed` (400) naming `servers` when a reference names no server
 */
export function explainVisibility(config: RuntimeConfig, input: VisibilityInput, states: readonly ServerState[]): VisibilityReport {
  const { router, catalog, state } = config;
  const servers = state.downstreams.filter((s) => s.id !== BUILTIN_SERVER_ID && s.transport !== 'internal');
  let windowSet: Set<string> | undefined;
  if (input.servers) {
    const { ids, unknown } = resolveServerRefs(input.servers, state.downstreams);
    if (unknown.length > 0)
      throw new GatewayError(
        'validation_failed',
        `servers names no server as ${unknown.map((r) => `"${r}"`).join(', ')}; servers: ${knownServers(state.downstreams)}`,
        {
          details: [{ path: 'servers', message: `unknown server ${unknown.map((r) => `"${r}"`).join(', ')}` }],
        },
      );
    windowSet = ids;
  }
  const target = input.dirs.length > 1 ? folderSet(input.dirs) : input.dirs[0];
  const byServer = new Map<string, ToolEntry[]>();
  for (const entry of catalog.tools) {
    const list = byServer.get(entry.server.id);
    if (list) list.push(entry);
    else byServer.set(entry.server.id, [entry]);
  }
  const stateById = new Map(states.map((s) => [s.server_id, s]));
  // A directory behind a symbolic link is in the workspaces of both its spellings (routing decides by the strictest); `global` only when neither has one.
  const workspaceIds = [
    ...new Set(input.dirs.flatMap((dir) => innermost(router.spellings(dir).map((spelt) => router.chainFor(spelt).links[0]!.workspace.id)))),
  ];
  const chainIds = new Set(
    input.dirs.flatMap((dir) => router.spellings(dir).flatMap((spelt) => router.chainFor(spelt).links.map((link) => link.workspace.id))),
  );
  const builtin = state.downstreams.find((s) => s.id === BUILTIN_SERVER_ID);
  return {
    workspace_ids: workspaceIds,
    servers: [
      ...(builtin ? [describeBuiltins(builtin, config, target)] : []),
      ...servers.map((server) => {
        const entries = byServer.get(server.id) ?? [];
        const hidden: Array<{ entry: ToolEntry; decision: Decision }> = [];
        for (const entry of entries) {
          const decision = router.decide(target, entry.fullName, { owner: entry.server, readOnly: entry.readOnly });
          if (decision.error_code) hidden.push({ entry, decision });
        }
        const health = stateById.get(server.id);
        return describe(server, entries.length - hidden.length, hidden, health, windowSet, oauthNeed(state, server, chainIds));
      }),
    ],
  };
}

/** The built-in `mcpx__` tools tools/list shows from `target` (`mcp/tool-list.ts`: the same decide()). */
function describeBuiltins(builtin: DownstreamServer, config: RuntimeConfig, target: Parameters<RuntimeConfig['router']['decide']>[0]): ServerVisibility {
  const tools = builtinToolDefinitions(config).map((tool) => String(tool.name));
  const hidden = tools.filter((name) => config.router.decide(target, name, {}).error_code);
  const listed = tools.length - hidden.length;
  return {
    server_id: builtin.id,
    name: builtin.name,
    namespace: builtin.namespace,
    state: 'ready',
    tools_total: tools.length,
    tools_visible: listed,
    reason: listed > 0 || tools.length === 0 ? 'visible' : 'hidden_by_rule',
    message: `${listed} of ${tools.length} built-in tools listed, whatever the window's tool set`,
    ...(hidden.length > 0 ? { hidden_tools: hidden } : {}),
  };
}

function describe(
  server: DownstreamServer,
  allowed: number,
  hidden: Array<{ entry: ToolEntry; decision: Decision }>,
  health: ServerState | undefined,
  windowSet: Set<string> | undefined,
  oauth: OAuthNeed | undefined,
): ServerVisibility {
  const total = listableCount(server);
  const base = {
    server_id: server.id,
    name: server.name,
    namespace: server.namespace,
    state: server.enabled ? (health?.state ?? 'stopped') : 'disabled',
    tools_total: total,
  };
  const trouble = failure(health);
  const hiddenTools = hidden.length > 0 ? { hidden_tools: hidden.map((h) => h.entry.listedName) } : {};
  const out = (reason: ServerVisibility['reason'], visible: number, message: string, extra: Partial<ServerVisibility> = {}): ServerVisibility => ({
    ...base,
    tools_visible: visible,
    reason,
    message,
    ...trouble,
    ...(oauth ? { oauth } : {}),
    ...extra,
  });
  if (windowSet && !windowSet.has(server.id))
    return out('not_in_window_set', 0, `left out of this window's tool set (X-MCPlexer-Servers); add "${server.id}" to it to list its tools`);
  if (!server.enabled)
    return out('disabled', 0, `server "${server.name}" is disabled; enable it (PUT /api/v1/downstreams/${server.id} {"enabled":true}) to list its tools`);
  // A dynamic server's tools are never listed up front, started or not: that is the reason to give.
  if (server.discovery === 'dynamic')
    return out(
      'dynamic',
      0,
      server.discovered_at === null
        ? `server "${server.name}" uses discovery: dynamic: its tools are not listed up front; a client finds them with mcpx__search_tools and loads them with mcpx__load_tools (it starts on first use)`
        : `server "${server.name}" uses discovery: dynamic: its ${allowed} allowed tools are not listed up front; a client finds them with mcpx__search_tools and loads them with mcpx__load_tools`,
      hiddenTools,
    );
  // Never listed because its account is not connected: the error is the gateway's own refusal to start it.
  if (server.discovered_at === null && oauth)
    return out(
      'needs_authorization',
      0,
      `server "${server.name}" waits for its OAuth account (auth scope "${oauth.auth_scope_name}": ${oauth.status === 'expired' ? `the token expired: ${oauth.error}` : 'not connected yet'}); run "MCPlexer: Connect Account…" or open GET /api/v1/auth-scopes/${oauth.auth_scope_id}/oauth/authorize`,
    );
  if (server.discovered_at === null && trouble.error !== undefined)
    return out('failed', 0, `server "${server.name}" could not be started or listed: ${trouble.error}${trouble.hint ? ` — ${trouble.hint}` : ''}`);
  if (server.discovered_at === null)
    return out(
      'not_started',
      0,
      `server "${server.name}" has not been started yet (servers start on first use); its tools are listed once it is discovered (Discover, or a tools/list)`,
    );
  if (total === 0) return out('no_tools', 0, `server "${server.name}" offers no tools`);
  if (allowed === 0 && hidden.length > 0) {
    const { decision } = hidden[0]!;
    const rule = decision.rule
      ? { rule: { id: decision.rule.id, ...(decision.rule.name ? { name: decision.rule.name } : {}), workspace_id: decision.rule.workspace_id } }
      : {};
    return out('hidden_by_rule', 0, `all ${hidden.length} tools are hidden from these folders: ${decision.reason}`, { ...rule, ...hiddenTools });
  }
  if (allowed === 0) return out('no_tools', 0, `none of the ${total} tools of server "${server.name}" can be listed (GET /api/v1/health shows the warnings)`);
  const some = hidden.length > 0 ? `; ${hidden.length} hidden by rules (${hidden[0]!.decision.reason})` : '';
  return out('visible', allowed, `${allowed} of ${total} tools listed${some}`, hiddenTools);
}

/**
 * The server's last error split into the error and its hint (`… — ensure the required command is
 * installed and in PATH`), and the newest stderr lines; nothing when it has no error.
 */
function failure(health: ServerState | undefined): { error?: string; hint?: string; stderr_tail?: string[] } {
  const text = health?.last_error;
  if (!text) return {};
  const [withoutStderr, stderr] = text.split('; stderr:\n') as [string, string | undefined];
  const cut = withoutStderr.indexOf(' — ');
  // The pool's tail when it has one; else the lines the error itself carries (a discovery failure).
  const lines = health.stderr_tail?.length ? health.stderr_tail : (stderr?.split('\n').filter(Boolean) ?? []);
  const tail = lines.slice(-STDERR_LINES);
  return {
    error: cut > 0 ? withoutStderr.slice(0, cut) : withoutStderr,
    ...(cut > 0 ? { hint: withoutStderr.slice(cut + 3) } : {}),
    ...(tail.length > 0 ? { stderr_tail: tail } : {}),
  };
}

/** The workspaces a directory's spellings are in, `global` left out when one of them is in another. */
function innermost(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  return unique.length > 1 ? unique.filter((id) => id !== GLOBAL_WORKSPACE_ID) : unique;
}
