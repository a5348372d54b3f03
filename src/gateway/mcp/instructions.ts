/**
 * MCPlexer's own `instructions` (the initialize result's hint to the model, MCP 2025-11-25
 * Lifecycle › Initialization) with the instructions of the servers behind it. A server's
 * instructions say how to use its tools (which to call first, what its ids mean); a client that
 * reached the server through the gateway lost them, and the model used the tools blind. Each
 * server's text goes under its name with the prefix its tools carry, and only for servers whose
 * tools the session can list: a server its workspace denies says nothing.
 */
import { inToolSet, isCodexClient, routeTarget, type RuntimeConfig, type SessionView } from '../calls/index.js';
import type { DownstreamServer } from '../config/index.js';

/** MCPlexer's own line, first in every answer. */
export const GATEWAY_INSTRUCTIONS = 'MCPlexer gateway: tools of several MCP servers, named <namespace>__<tool>.';

/**
 * The most the servers' sections add together (characters). Each server's text is already bounded
 * when discovered (`MAX_INSTRUCTIONS_CHARS`); past this total, the servers left are named only, so
 * fifty servers cannot fill a model's context before the first message.
 */
export const MAX_COMBINED_INSTRUCTIONS_CHARS = 64 * 1024;

/**
 * The servers, in catalog order, with instructions and at least one tool `session` is listed
 * (listTools' conditions: its tool set, dynamic servers once loaded, a route decision that lets
 * the tool through).
 */
function serversShown(config: RuntimeConfig, session: SessionView): DownstreamServer[] {
  const { settings, router } = config;
  const codexSeesDynamic = settings.codex_dynamic_tool_compat && isCodexClient(session);
  const target = routeTarget(session);
  const shown = new Set<DownstreamServer>();
  for (const entry of config.catalog.tools) {
    const server = entry.server;
    if (shown.has(server) || !server.instructions || !inToolSet(session, server.id)) continue;
    if (server.discovery === 'dynamic' && !codexSeesDynamic && !session.active.has(entry.fullName)) continue;
    if (router.decide(target, entry.fullName, { owner: server, readOnly: entry.readOnly }).error_code) continue;
    shown.add(server);
  }
  return [...shown];
}

function heading(server: DownstreamServer): string {
  const names = server.expose_unprefixed ? 'tools named as the server names them' : `tools named ${server.namespace}__<tool>`;
  return `## ${server.name} (${names})`;
}

/**
 * The `instructions` for one session: `GATEWAY_INSTRUCTIONS`, then a section per server shown
 * (`## <name> (tools named <namespace>__<tool>)` and its text), within
 * `MAX_COMBINED_INSTRUCTIONS_CHARS`.
 */
export function gatewayInstructions(config: RuntimeConfig, session: SessionView): string {
  const servers = serversShown(config, session);
  if (servers.length === 0) return GATEWAY_INSTRUCTIONS;
  const parts = [GATEWAY_INSTRUCTIONS, 'What the servers behind it say about their tools:'];
  const left: string[] = [];
  let used = 0;
  for (const server of servers) {
    const section = `${heading(server)}\n\n${server.instructions!.trim()}`;
    if (used + section.length > MAX_COMBINED_INSTRUCTIONS_CHARS) left.push(server.name);
    else {
      parts.push(section);
      used += section.length;
    }
  }
  if (left.length > 0) parts.push(`(Instructions of ${left.join(', ')} were left out: together they were too long.)`);
  return parts.join('\n\n');
}
