/**
 * The two headers that shape what a session sees, taken into the session when their value (or the
 * config) changes, never per call: `X-MCPlexer-Workspace` (one folder, or a JSON array of a
 * multi-root window's folders) and `X-MCPlexer-Servers` (the window's tool set: server ids or
 * namespaces). The hot path compares two strings and a number per request.
 */
import { knownServers, resolveServerRefs, type RuntimeConfig } from '../calls/index.js';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { applyClientIdentity, checkClientIdentity } from './client-identity.js';
import { foldersFromHeader, WORKSPACE_HEADER, type HeaderFolders } from './client-dir.js';
import type { McpSession } from './session.js';

export const SERVERS_HEADER = 'x-mcplexer-servers';

/** A request's header value (the first, if repeated). */
export type HeaderGetter = (name: string) => string | undefined;

/**
 * `X-MCPlexer-Servers: <id|namespace>,…` as server ids; empty or absent: undefined (every server).
 * @param strict refuse a reference that names no server (a new value); else drop it (the same
 *   value after a config change: a server deleted meanwhile just leaves the set)
 * @throws GatewayError `bad_request` (HTTP 400) naming the header, the unknown references and the servers there are
 */
export function serversFromHeader(value: string | undefined, servers: readonly DownstreamServer[], strict: boolean): ReadonlySet<string> | undefined {
  const refs = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (refs.length === 0) return undefined;
  const { ids, unknown } = resolveServerRefs(refs, servers);
  if (strict && unknown.length > 0) {
    const names = unknown.map((ref) => `"${ref}"`).join(', ');
    throw new GatewayError(
      'bad_request',
      `X-MCPlexer-Servers names no server as ${names}: send server ids or namespaces, comma-separated. Servers: ${knownServers(servers)}.`,
      {
        details: [{ path: 'X-MCPlexer-Servers', message: `unknown server ${names}` }],
      },
    );
  }
  return ids;
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

/** Takes the folders a header chose; a change may change the session's tools (list-changes.ts). */
function setFolders(session: McpSession, found: HeaderFolders, check: boolean): void {
  const changed = found.dir !== session.dir || found.folders?.key !== session.folders?.key;
  Object.assign(session, { dir: found.dir, folders: found.folders, dirSource: 'header' });
  if (changed && check) session.checkTools();
}

function setServers(session: McpSession, servers: ReadonlySet<string> | undefined, check: boolean): void {
  if (sameSet(servers, session.servers)) return;
  session.servers = servers;
  if (check) session.checkTools();
}

/**
 * Applies a request's `X-MCPlexer-Workspace` and `X-MCPlexer-Servers` to its session. Each is
 * resolved only when its value differs from the one last accepted or the config changed since; a
 * header left out keeps what the session has.
 * @throws GatewayError `bad_request` naming the header (see `foldersFromHeader`, `serversFromHeader`)
 */
export function applySessionHeaders(session: McpSession, header: HeaderGetter, current: () => RuntimeConfig): void {
  applyHeaderValues(session, header(WORKSPACE_HEADER), header(SERVERS_HEADER), current);
  applyClientIdentity(session, header);
}

/**
 * `applySessionHeaders` with the two values already read (the hot path: no closure per request).
 * @param check whether a change is checked for `tools/list_changed` (list-changes.ts): not when the
 *   request carrying it is itself a tools/list, whose answer is the new list
 * @throws GatewayError `bad_request` naming the header
 */
export function applyHeaderValues(
  session: McpSession,
  workspace: string | undefined,
  servers: string | undefined,
  current: () => RuntimeConfig,
  check = true,
): void {
  if (workspace !== undefined) {
    const config = current();
    if (workspace !== session.workspaceHeader || config.version !== session.workspaceHeaderVersion) {
      const found = foldersFromHeader(workspace, config.state.workspaces);
      if (found) setFolders(session, found, check);
      session.workspaceHeader = workspace;
      session.workspaceHeaderVersion = config.version;
    }
  }
  if (servers !== undefined) {
    const config = current();
    if (servers !== session.serversHeader || config.version !== session.serversHeaderVersion) {
      setServers(session, serversFromHeader(servers, config.state.downstreams, servers !== session.serversHeader), check);
      session.serversHeader = servers;
      session.serversHeaderVersion = config.version;
    }
  }
}

/**
 * After a config change: the folders a header named are resolved again (a workspace named by the
 * header may have moved), and so is the tool set (a server deleted meanwhile leaves it).
 */
export function followSessionHeaders(session: McpSession, config: RuntimeConfig, logger: Logger): void {
  if (session.dirSource === 'header' && session.workspaceHeader !== undefined && session.workspaceHeaderVersion !== config.version) {
    try {
      const found = foldersFromHeader(session.workspaceHeader, config.state.workspaces);
      if (found) Object.assign(session, { dir: found.dir, folders: found.folders });
      session.workspaceHeaderVersion = config.version;
    } catch (error) {
      // The header names no workspace any more: the session's next request is refused with the reason.
      logger.debug('workspace header no longer resolves', { session: session.id, reason: (error as Error).message });
    }
  }
  if (session.serversHeader !== undefined && session.serversHeaderVersion !== config.version) {
    session.servers = serversFromHeader(session.serversHeader, config.state.downstreams, false);
    session.serversHeaderVersion = config.version;
  }
}

/**
 * Checks both headers of a request that opens no session (the 2026-era path resolves them again
 * for its per-request session), so a bad value is a 400 before any SDK code runs.
 * @throws GatewayError `bad_request` naming the header
 */
export function checkSessionHeaders(header: HeaderGetter, config: RuntimeConfig): void {
  foldersFromHeader(header(WORKSPACE_HEADER), config.state.workspaces);
  serversFromHeader(header(SERVERS_HEADER), config.state.downstreams, true);
  checkClientIdentity(header);
}

/** The first value of a Node request's header. */
export function nodeHeader(headers: Record<string, string | string[] | undefined>): HeaderGetter {
  return (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}
