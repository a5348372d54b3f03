import type { ChainTarget, FolderSet } from '../routing/index.js';

/** What the call pipeline knows of the client session a call comes from. */
export interface SessionView {
  readonly id: string;
  /** The client's directory, which selects the workspace chain (a multi-root window: its first folder). */
  readonly dir: string | undefined;
  /**
   * A multi-root window's folders (`X-MCPlexer-Workspace: ["/a","/b"]`): its calls and list are
   * decided by the strictest of their chains. Resolved when the header changes, never per call.
   */
  readonly folders?: FolderSet | undefined;
  /**
   * The servers (ids) this session's tools come from (`X-MCPlexer-Servers`); undefined: all.
   * Resolved when the header or the config changes, never per call.
   */
  readonly servers?: ReadonlySet<string> | undefined;
  readonly clientName: string | undefined;
  /** The pid of the client process, when it says (`X-MCPlexer-Client-Pid`: the stdio bridge sends its parent's). */
  readonly clientPid?: number | undefined;
  /** The model the client says it runs (`X-MCPlexer-Model`); a call's `_meta["mcplexer/model"]` overrides it for that call. */
  readonly modelHint?: string | undefined;
  /** Tools of dynamic servers this session loaded with `mcpx__load_tools`. */
  readonly active: Set<string>;
  /** Resource URIs results sent this session, and the server (id) each came from (`resource-links.ts`). */
  readonly linkedResources?: Map<string, string>;
  /** Tells the session its tool list changed (after load/unload). */
  toolsChanged(): void;
}

/** What a session's decisions are routed by: its folders when it has several, else its directory. */
export function routeTarget(session: Pick<SessionView, 'dir' | 'folders'>): ChainTarget {
  return session.folders ?? session.dir;
}

/** Whether a server's tools are in the session's tool set (`X-MCPlexer-Servers`; none given: every server). */
export function inToolSet(session: Pick<SessionView, 'servers'>, serverId: string): boolean {
  return session.servers === undefined || session.servers.has(serverId);
}

export function isCodexClient(session: SessionView): boolean {
  return (session.clientName ?? '').toLowerCase().startsWith('codex');
}
