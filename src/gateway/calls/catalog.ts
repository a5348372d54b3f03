import type { DownstreamServer } from '../config/index.js';
import { BUILTIN_SERVER_ID } from '../config/index.js';
import { coercibleProperties, type Coercible } from './arguments.js';
import { minifyInputSchema } from './slim.js';
import { checkPrompt, checkTool } from './tool-check.js';
import { listedName } from './tool-names.js';

type Item = Record<string, unknown>;

/** One tool as the client sees it, with what dispatch needs. */
export interface ToolEntry {
  /** `namespace__tool` (or the downstream's name for an unprefixed server): what routing matches. */
  fullName: string;
  /** What tools/list shows and clients call: `fullName`, or its shortened form (see tool-names.ts). */
  listedName: string;
  downstreamName: string;
  server: DownstreamServer;
  /** The tool as discovered, repaired to be listable (tool-check.ts). */
  tool: Item;
  /** The tool exactly as tools/list shows it: listed name, description override, slim schema. */
  listed: Item;
  readOnly: boolean;
  /** Top-level properties whose JSON text is parsed before the call (arguments.ts). */
  coercible: readonly Coercible[];
}

export interface NamedEntry {
  fullName: string;
  listedName: string;
  downstreamName: string;
  server: DownstreamServer;
  item: Item;
  /** The prompt exactly as prompts/list shows it. */
  listed: Item;
}

/** The settings that shape what is listed. */
export interface CatalogOptions {
  slimTools: boolean;
  /** `tool_description_overrides`: keyed by the listed name or the full name. */
  descriptionOverrides: Readonly<Record<string, string>>;
}

const SEPARATOR = '__';
const DEFAULT_OPTIONS: CatalogOptions = { slimTools: false, descriptionOverrides: {} };

/** The full name of a downstream's tool or prompt: `namespace__name`, or `name` for an unprefixed server. */
export function namespacedName(server: DownstreamServer, name: string): string {
  return server.expose_unprefixed ? name : `${server.namespace}${SEPARATOR}${name}`;
}

/**
 * The gateway's name index over every enabled server's discovered tools and prompts, rebuilt
 * when the config changes (never per call or per list). Full names are `namespace__name`, or the
 * downstream's own name for a server with `expose_unprefixed`; dispatch splits on the first `__`.
 * Each is listed under a name every client accepts (`listedName`), and both names find the entry.
 * A tool that cannot be listed (its listed name is taken, or its schema cannot be made valid) is
 * left out, and `warnings` says why under its server's id (health shows it).
 */
export class Catalog {
  readonly tools: ToolEntry[] = [];
  readonly prompts: NamedEntry[] = [];
  /** Listed name → full name, where they differ (routing accepts rules written either way). */
  readonly aliases = new Map<string, string>();
  readonly warnings = new Map<string, string[]>();
  private readonly toolsByName = new Map<string, ToolEntry>();
  private readonly promptsByName = new Map<string, NamedEntry>();
  private readonly serversByNamespace = new Map<string, DownstreamServer>();
  readonly unprefixedServers: DownstreamServer[] = [];

  constructor(
    readonly servers: readonly DownstreamServer[],
    options: CatalogOptions = DEFAULT_OPTIONS,
  ) {
    for (const server of servers) {
      this.serversByNamespace.set(server.namespace, server);
      if (server.id === BUILTIN_SERVER_ID || !server.enabled) continue;
      if (server.expose_unprefixed) this.unprefixedServers.push(server);
      for (const tool of server.tools) this.addTool(server, tool, options);
      for (const prompt of server.prompts) this.addPrompt(server, prompt);
    }
  }

  /** The tool a client names, by its listed name or its full name. */
  tool(name: string): ToolEntry | undefined {
    return this.toolsByName.get(name);
  }

  /** The prompt a client names, by its listed name or its full name. */
  prompt(name: string): NamedEntry | undefined {
    return this.promptsByName.get(name);
  }

  serverByNamespace(namespace: string): DownstreamServer | undefined {
    return this.serversByNamespace.get(namespace);
  }

  /** Why some of a server's tools or prompts are not listed (empty when all are). */
  warningsFor(serverId: string): readonly string[] {
    return this.warnings.get(serverId) ?? [];
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

  private addTool(server: DownstreamServer, tool: Item, options: CatalogOptions): void {
    const name = String(tool.name);
    const fullName = namespacedName(server, name);
    const listed = listedName(fullName);
    const taken = this.toolsByName.get(listed) ?? this.toolsByName.get(fullName);
    if (taken) return this.warn(server, `tool "${name}" is not listed: ${clash(listed, taken, server)}`);
    const checked = checkTool(tool);
    if (!checked.ok) return this.warn(server, `tool "${name}" is not listed: ${checked.problem}`);
    const shown: Item = { ...checked.tool, name: listed };
    const override = options.descriptionOverrides[listed] ?? options.descriptionOverrides[fullName];
    if (override !== undefined) shown.description = override;
    if (options.slimTools) shown.inputSchema = minifyInputSchema(shown.inputSchema as Item);
    const entry: ToolEntry = {
      fullName,
      listedName: listed,
      downstreamName: name,
      server,
      tool: checked.tool,
      listed: shown,
      readOnly: (tool.annotations as { readOnlyHint?: unknown } | undefined)?.readOnlyHint === true,
      coercible: coercibleProperties(checked.tool.inputSchema),
    };
    this.tools.push(entry);
    this.index(this.toolsByName, entry);
  }

  private addPrompt(server: DownstreamServer, prompt: Item): void {
    const name = String(prompt.name);
    const fullName = namespacedName(server, name);
    const listed = listedName(fullName);
    const taken = this.promptsByName.get(listed) ?? this.promptsByName.get(fullName);
    if (taken) return this.warn(server, `prompt "${name}" is not listed: ${clash(listed, taken, server)}`);
    const problem = checkPrompt(prompt);
    if (problem) return this.warn(server, `prompt "${name}" is not listed: ${problem}`);
    const entry: NamedEntry = { fullName, listedName: listed, downstreamName: name, server, item: prompt, listed: { ...prompt, name: listed } };
    this.prompts.push(entry);
    this.index(this.promptsByName, entry);
  }

  private index<E extends { fullName: string; listedName: string }>(map: Map<string, E>, entry: E): void {
    map.set(entry.listedName, entry);
    if (entry.fullName !== entry.listedName) {
      map.set(entry.fullName, entry);
      this.aliases.set(entry.listedName, entry.fullName);
    }
  }

  private warn(server: DownstreamServer, message: string): void {
    const list = this.warnings.get(server.id);
    if (list) list.push(message);
    else this.warnings.set(server.id, [message]);
  }
}

function clash(listed: string, taken: { downstreamName: string; server: DownstreamServer }, server: DownstreamServer): string {
  const mine = server.namespace;
  const theirs = taken.server.namespace;
  if (taken.server.id === server.id) return `its name "${listed}" is already listed for its own "${taken.downstreamName}"`;
  const hint =
    mine === `${theirs}_` || theirs === `${mine}_`
      ? `namespaces "${theirs}" and "${mine}" join to the same names ("${theirs}__" + "_x" = "${mine}__" + "x"): change one of them`
      : 'change the namespace of one of them';
  return `its name "${listed}" is already listed for "${taken.downstreamName}" of server "${taken.server.name}" (namespace "${theirs}"); ${hint}`;
}

/**
 * Names a server with `expose_unprefixed` would take that another server already lists; discovery
 * refuses such a server with an error naming both.
 */
export function unprefixedClashes(candidate: DownstreamServer, found: { tools: Item[]; prompts: Item[] }, servers: readonly DownstreamServer[]): string[] {
  const clashes: string[] = [];
  const own = (items: Item[]) => items.map((item) => listedName(namespacedName(candidate, String(item.name))));
  const names = new Set([...own(found.tools), ...own(found.prompts)]);
  for (const other of servers) {
    if (other.id === candidate.id || !other.enabled) continue;
    for (const item of [...other.tools, ...other.prompts]) {
      const name = listedName(namespacedName(other, String(item.name)));
      if (names.has(name)) clashes.push(`"${name}" (also offered by server "${other.name}")`);
    }
  }
  return clashes;
}
