import { builtinToolDefinitions } from '../calls/index.js';
import type { RuntimeConfig } from '../calls/index.js';
import { isCodexClient, type SessionView } from '../calls/index.js';
import { minifyInputSchema } from './slim.js';

type Tool = Record<string, unknown>;

/**
 * The tools one session sees: every tool of every enabled server that its workspace chain does
 * not deny (approval-gated tools are listed), named `namespace__tool`, with description overrides
 * and `slim_tools` minification; dynamic servers' tools only once loaded (or for Codex, with
 * `codex_dynamic_tool_compat`); the built-ins while a dynamic server exists.
 */
export function listTools(config: RuntimeConfig, session: SessionView): Tool[] {
  const { settings, router } = config;
  const overrides = settings.tool_description_overrides;
  const codexSeesDynamic = settings.codex_dynamic_tool_compat && isCodexClient(session);
  const tools: Tool[] = [];
  for (const entry of config.catalog.tools) {
    if (entry.server.discovery === 'dynamic' && !codexSeesDynamic && !session.active.has(entry.fullName)) continue;
    if (router.decide(session.dir, entry.fullName, { owner: entry.server, readOnly: entry.readOnly }).error_code) continue;
    const tool: Tool = { ...entry.tool, name: entry.fullName };
    const override = overrides[entry.fullName];
    if (override !== undefined) tool.description = override;
    if (settings.slim_tools && tool.inputSchema) tool.inputSchema = minifyInputSchema(tool.inputSchema as Tool);
    tools.push(tool);
  }
  for (const builtin of builtinToolDefinitions(config)) {
    if (!router.decide(session.dir, String(builtin.name), {}).error_code) tools.push(builtin);
  }
  return tools;
}
