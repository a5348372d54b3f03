/** What the call pipeline knows of the client session a call comes from. */
export interface SessionView {
  readonly id: string;
  /** The client's directory, which selects the workspace chain. */
  readonly dir: string | undefined;
  readonly clientName: string | undefined;
  /** Tools of dynamic servers this session loaded with `mcpx__load_tools`. */
  readonly active: Set<string>;
  /** Tells the session its tool list changed (after load/unload). */
  toolsChanged(): void;
}

export function isCodexClient(session: SessionView): boolean {
  return (session.clientName ?? '').toLowerCase().startsWith('codex');
}
