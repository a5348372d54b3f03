import { createHash } from 'node:crypto';
import { isCodexClient, type RuntimeConfig } from '../calls/index.js';
import type { McpSession } from './session.js';
import { gatewayInstructions } from './instructions.js';
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

/** One answer to tools/list, shared by the sessions that see the same tools; its parts made on first use. */
export class ToolList {
  /** The view's initialize `instructions` (instructions.ts), made when first asked. */
  instructions: string | undefined;
  private fingerprintMemo: string | undefined;
  private bytesMemo: Buffer | undefined;

  constructor(readonly tools: readonly Tool[]) {}

  /** Equal exactly when two lists are (list-changes.ts). */
  get fingerprint(): string {
    return (this.fingerprintMemo ??= toolsFingerprint(this.tools));
  }

  /** The `tools` array as UTF-8 JSON, as the lean path writes it into its response (encoded once, not per answer). */
  get json(): Buffer {
    return (this.bytesMemo ??= Buffer.from(JSON.stringify(this.tools)));
  }
}

/** Sessions' lists kept per config; beyond this many different views, the oldest is made again when asked. */
export const MAX_TOOL_LISTS = 16;

/**
 * The tools/list answers of the current config, one per view of it. What a session is listed
 * depends on the config and on four things of the session (`listTools`): its directory or folder
 * set, its tool set (`X-MCPlexer-Servers`), the dynamic tools it loaded, and whether it is Codex.
 * Sessions alike in those share one list, its fingerprint and its JSON, so a repeated tools/list
 * (2,000 tools: ~2 ms of route decisions, ~1 ms of hashing, then the JSON) costs a map lookup. A
 * new config (discovery, a rule, a setting) drops them all; `MAX_TOOL_LISTS` bounds the memory (a
 * list's JSON is ~200 bytes a tool).
 */
export class ToolLists {
  private config: RuntimeConfig | undefined;
  private readonly lists = new Map<string, ToolList>();

  /** The list `session` sees under `config` (the current one). */
  of(config: RuntimeConfig, session: McpSession): ToolList {
    if (config !== this.config) {
      this.lists.clear();
      this.config = config;
    }
    const key = viewKey(session, config.router);
    let list = this.lists.get(key);
    if (list === undefined) {
      list = new ToolList(listTools(config, session));
      if (this.lists.size >= MAX_TOOL_LISTS) this.lists.delete(this.lists.keys().next().value!);
      this.lists.set(key, list);
    }
    return list;
  }

  /** The initialize `instructions` `session` gets under `config` (same view, same text; made once per view). */
  instructionsOf(config: RuntimeConfig, session: McpSession): string {
    const list = this.of(config, session);
    return (list.instructions ??= gatewayInstructions(config, session));
  }
}

/**
 * What of a session decides its tool list, as one string. A directory counts by its spellings (the
 * router's: itself and, through a symbolic link, its real path, read at most once a second), so a
 * link pointed elsewhere gets the list of its new target as the calls do (a view keyed by the link
 * alone kept the old target's list until the next config change).
 */
function viewKey(session: McpSession, router: Pick<RuntimeConfig['router'], 'spellings'>): string {
  const codex = isCodexClient(session) ? 'codex' : '';
  const dirs = session.folders ? session.folders.dirs : session.dir === undefined ? [] : [session.dir];
  const where = `${session.folders ? 'folders' : 'dir'} ${dirs.map((dir) => router.spellings(dir).join('\u0002')).join('\u0001')}`;
  const servers = session.servers ? `only ${[...session.servers].join('\u0001')}` : 'all';
  const active = [...session.active].join('\u0001');
  return `${codex}\u0000${where}\u0000${servers}\u0000${active}`;
}
