/**
 * The entries MCPlexer writes into clients' config files, one builder per shape a client reads.
 * An HTTP entry points at the gateway's `/mcp` with the token in an `Authorization` header; a
 * stdio entry runs the stable copy of `mcplexer connect` with an absolute runtime path (GUI apps
 * do not inherit the shell's PATH), which finds the gateway and its token by itself.
 */

/** How to run the stdio bridge: an absolute runtime, the stable CLI copy and `connect`, and its env. */
export interface BridgeCommand {
  /** Absolute path of the runtime: VS Code's (with `ELECTRON_RUN_AS_NODE=1` in `env`) or node. */
  command: string;
  /** `[<data dir>/bin/mcplexer-cli.js, 'connect']`. */
  args: string[];
  /** `MCPLEXER_HOME` (the data dir), plus `ELECTRON_RUN_AS_NODE` under VS Code's runtime. */
  env: Record<string, string>;
}

/** What every entry is built from: the gateway as it runs now. */
export interface EntryContext {
  /** `http://127.0.0.1:<port>/mcp`. */
  url: string;
  /** The API token (sent as `Authorization: Bearer <token>`). */
  token: string;
  bridge: BridgeCommand;
}

export type EntryShape = (context: EntryContext) => Record<string, unknown>;

const authorization = (context: EntryContext) => ({ Authorization: `Bearer ${context.token}` });

/** `{command, args, env}`: Claude Desktop, Codex, Cline and the generic `server_entry`. */
export const stdioEntry: EntryShape = ({ bridge }) => ({ command: bridge.command, args: [...bridge.args], env: { ...bridge.env } });

/** `{type, url, headers}` with the client's own name for the transport (`http` for Claude Code and VS Code). */
export const typedHttpEntry =
  (type: string): EntryShape =>
  (context) => ({ type, url: context.url, headers: authorization(context) });

/** `{url, headers}`: Cursor and LM Studio (which follows Cursor's notation). */
export const urlHttpEntry: EntryShape = (context) => ({ url: context.url, headers: authorization(context) });

/** `{url, type: "http", headers}`: the order `gemini mcp add --transport http` writes. */
export const geminiHttpEntry: EntryShape = (context) => ({ url: context.url, type: 'http', headers: authorization(context) });

/** `{serverUrl, headers}`: Windsurf's remote server entry. */
export const windsurfHttpEntry: EntryShape = (context) => ({ serverUrl: context.url, headers: authorization(context) });

/** `{type: "local", command: [runtime, ...args], environment, enabled}`: opencode's local server. */
export const opencodeLocalEntry: EntryShape = ({ bridge }) => ({
  type: 'local',
  command: [bridge.command, ...bridge.args],
  environment: { ...bridge.env },
  enabled: true,
});

/** `{source: "custom", command, args, env}`: Zed's `context_servers` entry for a command it runs. */
export const zedEntry: EntryShape = ({ bridge }) => ({ source: 'custom', command: bridge.command, args: [...bridge.args], env: { ...bridge.env } });

/** `{type: "stdio", command, args, env}`: Continue's `mcpServers` list item (its `name` is added by the YAML format). */
export const continueEntry: EntryShape = ({ bridge }) => ({ type: 'stdio', command: bridge.command, args: [...bridge.args], env: { ...bridge.env } });

/** Whether two entries hold the same values (key order ignored: clients and editors reorder keys). */
export function sameEntry(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameEntry(item, b[i]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => sameEntry((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
