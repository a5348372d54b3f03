import { builtinToolDefinitions } from '../calls/index.js';
import type { RuntimeConfig } from '../calls/index.js';
import { inToolSet, isCodexClient, routeTarget, type SessionView } from '../calls/index.js';

type Tool = Record<string, unknown>;

/**
 * The tools one session sees: every tool of every enabled server of its tool set
 * (`X-MCPlexer-Servers`) that its workspace chain (a multi-root window: every folder's) does not deny (approval-gated tools are listed); dynamic servers' tools only once loaded (or for
 * Codex, with `codex_dynamic_tool_compat`); the built-ins while a dynamic server exists. Each tool
 * is listed as the catalog compiled it for this config (a name every client accepts, description
 * override, `slim_tools`, a schema checked valid), so a list costs one route decision per tool.
 */
export function listTools(config: RuntimeConfig, session: SessionView): Tool[] {
  const { settings, router } = config;
  const codexSeesDynamic = settings.codex_dynamic_tool_compat && isCodexClient(session);
  const target = routeTarget(session);
  const tools: Tool[] = [];
  for (const entry of config.catalog.tools) {
    if (!inToolSet(session, entry.server.id)) continue;
    if (entry.server.discovery === 'dynamic' && !codexSeesDynamic && !session.active.has(entry.fullName)) continue;
    if (router.decide(target, entry.fullName, { owner: entry.server, readOnly: entry.readOnly }).error_code) continue;
    tools.push(entry.listed);
  }
  for (const builtin of builtinToolDefinitions(config)) {
    if (!router.decide(target, String(builtin.name), {}).error_code) tools.push(builtin);
  }
  return tools;
}
