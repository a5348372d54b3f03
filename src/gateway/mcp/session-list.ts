import type { RuntimeConfig } from '../calls/index.js';
import type { SessionRegistry } from './session.js';

/** A live session as the dashboard lists it (`active_session_list`, the original's fields). */
export interface SessionListEntry {
  id: string;
  client_type: string | null;
  /** `X-MCPlexer-Client-Pid` (the stdio bridge sends its parent's pid); null when the client does not say (MCP does not carry it). */
  client_pid: number | null;
  /** RFC 3339. */
  connected_at: string;
  /** The most specific workspace of the session's directory (`global` when it has none). */
  workspace_id: string | null;
  /** `X-MCPlexer-Model`, the latest the session sent; null when it sent none (MCP clients do not name their model). */
  model_hint: string | null;
}

/**
 * The live 2025-era sessions, oldest first (2026-era requests are sessionless and not listed).
 * Reads the registry and the current router; changes nothing (the original closed "stale"
 * sessions here; we never do).
 */
export function sessionList(sessions: SessionRegistry, config: () => RuntimeConfig): SessionListEntry[] {
  const { router } = config();
  return sessions.all().map((session) => ({
    id: session.id,
    client_type: session.clientName ?? null,
    client_pid: session.clientPid ?? null,
    connected_at: session.connectedAt,
    workspace_id: router.chainFor(session.dir).links[0]?.workspace.id ?? null,
    model_hint: session.modelHint ?? null,
  }));
}
