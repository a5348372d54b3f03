/**
 * When a session is told `notifications/tools/list_changed`: only when the tools it would be sent
 * now differ from those it was last sent. Each session keeps a fingerprint of its last tools/list
 * answer (computed when the list is answered: one hash per listed tool, cached per catalog entry,
 * so a list costs one map lookup per tool). On a change that may alter what sessions see (a config
 * change: discovery, a rule, a workspace, a setting; the session's own directory: roots, header;
 * its loaded tools; a GET stream opening, which carries the notification) the current list's
 * fingerprint is compared with it. Never on a tools/call.
 * Spec: MCP 2025-11-25, server/tools ("list changed notification").
 */
import { createHash } from 'node:crypto';
import { isCodexClient, type RuntimeConfig } from '../calls/index.js';
import type { Logger } from '../log.js';
import { followSessionHeaders } from './session-headers.js';
import type { McpSession } from './session.js';
import { listTools } from './tool-list.js';

type Tool = Record<string, unknown>;

/** Per listed tool object: the catalog rebuilds them per config change, so a stale hash goes with its object. */
const toolHashes = new WeakMap<Tool, string>();

function toolHash(tool: Tool): string {
  let hash = toolHashes.get(tool);
  if (hash === undefined) {
    hash = createHash('sha1').update(JSON.stringify(tool)).digest('base64');
    toolHashes.set(tool, hash);
  }
  return hash;
}

/** A fingerprint of a tool list: equal exactly when the lists are (same tools, same order, same content). */
export function toolsFingerprint(tools: readonly Tool[]): string {
  const hash = createHash('sha1');
  for (const tool of tools) hash.update(toolHash(tool)).update('\n');
  return hash.digest('base64');
}

/** Records what tools/list just answered this session. */
export function rememberListed(session: McpSession, tools: readonly Tool[]): void {
  session.listedTools = toolsFingerprint(tools);
  session.notifiedTools = undefined;
}

/**
 * Sends `list_changed` to `session` if the tools it sees under `config` differ from those it was
 * last sent (and from those it was last told about). A session that never listed tools, one with
 * no GET stream open, or a 2026-era one (no stream to notify on), is not told. `memo` shares fingerprints between sessions
 * that see the same list (same directory, no loaded tools, same Codex treatment).
 * @returns whether the session was notified.
 */
export function checkToolList(session: McpSession, config: RuntimeConfig, memo?: Map<string, string>): boolean {
  // With no GET stream open the notification would be dropped: the check runs again when one opens.
  if (session.era !== 'legacy' || session.listedTools === undefined || session.listening === 0) return false;
  const key =
    session.active.size === 0
      ? `${isCodexClient(session) ? 'codex' : ''}\u0000${session.folders?.key ?? session.dir ?? ''}\u0000${session.servers ? [...session.servers].join(',') : '*'}`
      : undefined;
  let fingerprint = key === undefined ? undefined : memo?.get(key);
  if (fingerprint === undefined) {
    fingerprint = toolsFingerprint(listTools(config, session));
    if (key !== undefined) memo?.set(key, fingerprint);
  }
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
export function checkToolLists(sessions: readonly McpSession[], config: RuntimeConfig, logger: Logger): number {
  for (const session of sessions) followSessionHeaders(session, config, logger);
  const memo = new Map<string, string>();
  let notified = 0;
  for (const session of sessions) if (checkToolList(session, config, memo)) notified += 1;
  return notified;
}
