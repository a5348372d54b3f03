/**
 * When a session is told `notifications/tools/list_changed`: only when the tools it would be sent
 * now differ from those it was last sent. Each session keeps the fingerprint of its last tools/list
 * answer (a shared `ToolList`'s, made once per view of the config: tool-lists.ts). On a change
 * that may alter what sessions see (a config change: discovery, a rule, a workspace, a setting;
 * the session's own directory: roots, header; its loaded tools; a GET stream opening, which
 * carries the notification) the current list's fingerprint is compared with it. Never on a
 * tools/call.
 * Spec: MCP 2025-11-25, server/tools ("list changed notification").
 */
import type { RuntimeConfig } from '../calls/index.js';
import type { Logger } from '../log.js';
import { followSessionHeaders } from './session-headers.js';
import type { McpSession } from './session.js';
import type { ToolList, ToolLists } from './tool-lists.js';

/** Records what tools/list just answered this session. */
export function rememberListed(session: McpSession, list: ToolList): void {
  session.listedTools = list.fingerprint;
  session.notifiedTools = undefined;
}

/**
 * Sends `list_changed` to `session` if the tools it sees under `config` differ from those it was
 * last sent (and from those it was last told about). A session that never listed tools, one with
 * no GET stream open, or a 2026-era one (no stream to notify on), is not told. Sessions that see
 * the same list share its fingerprint through `lists`.
 * @returns whether the session was notified.
 */
export function checkToolList(session: McpSession, config: RuntimeConfig, lists: ToolLists): boolean {
  // With no GET stream open the notification would be dropped: the check runs again when one opens.
  if (session.era !== 'legacy' || session.listedTools === undefined || session.listening === 0) return false;
  const fingerprint = lists.of(config, session).fingerprint;
  if (fingerprint === session.listedTools || fingerprint === session.notifiedTools) return false;
  session.notifiedTools = fingerprint;
  session.notify(() => session.server.sendToolListChanged());
  return true;
}

/**
 * After a config change: each session's headers are resolved again (a workspace named by
 * `X-MCPlexer-Workspace` may have moved, a server of `X-MCPlexer-Servers` may be gone), then
 * `checkToolList` runs for every session.
 * @returns how many sessions were notified.
 */
export function checkToolLists(sessions: readonly McpSession[], config: RuntimeConfig, logger: Logger, lists: ToolLists): number {
  for (const session of sessions) followSessionHeaders(session, config, logger);
  let notified = 0;
  for (const session of sessions) if (checkToolList(session, config, lists)) notified += 1;
  return notified;
}
