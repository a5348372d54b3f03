import { builtinToolDefinitions } from '../calls/index.js';
import type { RuntimeConfig } from '../calls/index.js';
import { isCodexClient, type SessionView } from '../calls/index.js';

type Tool = Record<string, unknown>;

/**
 * The tools one session sees: every tool of every enabled server that its workspace chain does
 * not deny (approval-gated tools are listed); dynamic servers' tools only once loaded (or for
 * Codex, with `codex_dynamic_tool_compat`); the built-ins while a dynamic server exists. Each tool
 * is listed as the catalog compiled it for this config (a name every client accepts, description
 * override, `slim_tools`, a schema checked valid), so a list costs one route decision per tool.
 */
export function listTools(config: RuntimeConfig, session: SessionView): Tool[] {
  const { settings, router } = config;
  const codexSeesDynamic = settings.codex_dynamic_tool_compat && isCodexClient(session);
  const tools: Tool[] = [];
  for (const entry of config.catalog.tools) {
    if (entry.server.discovery === 'dynamic' && !codexSeesDynamic && !session.active.has(entry.fullName)) continue;
    if (router.decide(session.dir, entry.fullName, { owner: entry.server, readOnly: entry.readOnly }).error_code) continue;
    tools.push(entry.listed);
  }
  for (const builtin of builtinToolDefinitions(config)) {
    if (!router.decide(session.dir, String(builtin.name), {}).error_code) tools.push(builtin);
  }
  return tools;
}
