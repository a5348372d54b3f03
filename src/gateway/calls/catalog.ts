import type { DownstreamServer } from '../config/index.js';
import { BUILTIN_SERVER_ID } from '../config/index.js';

type Item = Record<string, unknown>;

/** One tool as the client sees it, with what dispatch needs. */
export interface ToolEntry {
  fullName: string;
  downstreamName: string;
  server: DownstreamServer;
  tool: Item;
  readOnly: boolean;
}

export interface NamedEntry {
  fullName: string;
  downstreamName: string;
  server: DownstreamServer;
  item: Item;
}

const SEPARATOR = '__';

export function namespacedName(server: DownstreamServer, name: string): string {
  return server.expose_unprefixed ? name : `${server.namespace}${SEPARATOR}${name}`;
}

/**
 * The gateway's name index over every enabled server's discovered tools and prompts, rebuilt
 * when the config changes. Names are `namespace__name`, or the downstream's own name for a server
 * with `expose_unprefixed`; dispatch splits on the first `__`.
 */
export class Catalog {
  readonly tools: ToolEntry[] = [];
  readonly prompts: NamedEntry[] = [];
  private readonly toolsByName = new Map<string, ToolEntry>();
  private readonly promptsByName = new Map<string, NamedEntry>();
  private readonly serversByNamespace = new Map<string, DownstreamServer>();
  readonly unprefixedServers: DownstreamServer[] = [];

  constructor(readonly servers: readonly DownstreamServer[]) {
    for (const server of servers) {
      this.serversByNamespace.set(server.namespace, server);
      if (server.id === BUILTIN_SERVER_ID || !server.enabled) continue;
      if (server.expose_unprefixed) this.unprefixedServers.push(server);
      for (const tool of server.tools) {
        const name = String(tool.name);
        const entry: ToolEntry = {
          fullName: namespacedName(server, name),
          downstreamName: name,
          server,
          tool,
          readOnly: (tool.annotations as { readOnlyHint?: unknown } | undefined)?.readOnlyHint === true,
        };
        if (this.toolsByName.has(entry.fullName)) continue;
        this.tools.push(entry);
        this.toolsByName.set(entry.fullName, entry);
      }
      for (const prompt of server.prompts) {
        const name = String(prompt.name);
        const entry: NamedEntry = { fullName: namespacedName(server, name), downstreamName: name, server, item: prompt };
        if (this.promptsByName.has(entry.fullName)) continue;
        this.prompts.push(entry);
        this.promptsByName.set(entry.fullName, entry);
      }
    }
  }

  tool(fullName: string): ToolEntry | undefined {
    return this.toolsByName.get(fullName);
  }

  prompt(fullName: string): NamedEntry | undefined {
    return this.promptsByName.get(fullName);
  }

  serverByNamespace(namespace: string): DownstreamServer | undefined {
    return this.serversByNamespace.get(namespace);
  }

  /**
   * Who owns a name that is not in the index (not discovered yet, or discovered before a
   * change): the server of its namespace prefix, or the only unprefixed server.
   */
  ownerOf(fullName: string): { server: DownstreamServer; downstreamName: string } | undefined {
    const cut = fullName.indexOf(SEPARATOR);
    if (cut > 0) {
      const server = this.serversByNamespace.get(fullName.slice(0, cut));
      if (server && !server.expose_unprefixed) return { server, downstreamName: fullName.slice(cut + SEPARATOR.length) };
    }
    if (this.unprefixedServers.length === 1) return { server: this.unprefixedServers[0]!, downstreamName: fullName };
    return undefined;
  }
}

/**
 * Names a server with `expose_unprefixed` would take that another server already lists; discovery
 * refuses such a server with an error naming both.
 */
export function unprefixedClashes(candidate: DownstreamServer, found: { tools: Item[]; prompts: Item[] }, servers: readonly DownstreamServer[]): string[] {
  const clashes: string[] = [];
  const own = (items: Item[]) => items.map((item) => namespacedName(candidate, String(item.name)));
  const names = new Set([...own(found.tools), ...own(found.prompts)]);
  for (const other of servers) {
    if (other.id === candidate.id || !other.enabled) continue;
    for (const item of [...other.tools, ...other.prompts]) {
      const name = namespacedName(other, String(item.name));
      if (names.has(name)) clashes.push(`"${name}" (also offered by server "${other.name}")`);
    }
  }
  return clashes;
}
