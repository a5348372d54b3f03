/**
 * What an import would do with each entry of a client's config: its status and the namespace it
 * would get. One plan serves `GET …/servers` and `POST …/import`, so the answer a user read is what
 * the import does. Namespaces are given in the file's order, each unique among the existing
 * servers' names and namespaces and among the plan's own (`-2`, `-3`, …).
 */
import { isDeepStrictEqual } from 'node:util';
import { downstreamCreateSchema, LEGACY_BUILTIN_NAMESPACE, nameSchema } from '../../shared/schemas/index.js';
import type { ImportableServer } from '../../shared/schemas/mcp-import.js';
import type { ClientServerEntry } from './import-entries.js';
import { legacyOfOurs, writtenByUs } from './ownership.js';
import { LEGACY_NAMES } from './registry.js';

/** A server already in MCPlexer, as the plan compares it (stored values, not the API's masked ones). */
export interface ExistingServer {
  id: string;
  name: string;
  namespace: string;
  command?: string;
  args: string[];
  url?: string;
  cwd?: string;
  /** Clear values, as the store holds them in memory. */
  env: Record<string, string>;
  headers: Record<string, string>;
}

/** What the plan needs besides the entries and the servers. */
export interface PlanContext {
  /** The config file, for messages. */
  file: string;
  /** A text as the API may show it: the secret spans of an arg or a URL masked (as GET /downstreams shows them). */
  show: (text: string) => string;
  /** This gateway's own address: an entry reaching it is `ours`; another loopback `/mcp` is another server. */
  own: { port: string; token: string };
}

export interface PlannedEntry {
  answer: ImportableServer;
  /** The `POST /downstreams` body a `new` entry is created with (env and header values clear). */
  body?: Record<string, unknown>;
}

/** Namespaces a user may not give (the original's built-in prefix), beside those already taken. */
const RESERVED = new Set([LEGACY_BUILTIN_NAMESPACE, 'mcpx']);
const MAX_NAMESPACE = 64;

/** An entry name as a valid namespace (shared/schemas/downstream.ts): lowercase, `[a-z0-9_-]`, no `__`, a letter or digit first, no trailing `_`. */
export function namespaceBase(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .replace(/_{2,}/g, '_')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[_-]+$/, '')
    .slice(0, MAX_NAMESPACE - 4); // room for a suffix
  return cleaned.replace(/[_-]+$/, '') || 'server';
}

/**
 * The first of `base`, `base-2`, `base-3`, … that is free: not taken, not reserved, and not one
 * that joins to the same tool names as a taken one (`a` beside `a_`, downstreams.ts `checkNamespaceJoin`).
 */
function freeNamespace(base: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(candidate) && !taken.has(`${candidate}_`) && !RESERVED.has(candidate)) return candidate;
  }
}

/**
 * Whether an entry is MCPlexer's own, by content (ownership.ts), under any spelling of its name.
 * An HTTP entry must also reach this gateway (its port, or its token): `writtenByUs` takes any
 * loopback `/mcp` with a Bearer header, which as an import's judge kept a user's own local server
 * (another port, another token) from ever being imported. A stdio entry runs the bridge: ours.
 */
function isOurs(entry: ClientServerEntry, own: PlanContext['own']): boolean {
  if (!(writtenByUs(entry.raw) || (LEGACY_NAMES.includes(entry.name) && legacyOfOurs(entry.raw)))) return false;
  if (entry.url === undefined) return true;
  const port = portOf(entry.url);
  const bearer = Object.entries(entry.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return port === own.port || bearer === `Bearer ${own.token}`;
}

function portOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  } catch {
    return undefined;
  }
}

/**
 * The existing server that is this entry: the same command, args, cwd and env (or the same URL and
 * headers). The same command with other env is another server (server-memory on another file; one
 * URL under two accounts), and was once refused as already there.
 */
function sameServer(entry: ClientServerEntry, servers: readonly ExistingServer[]): ExistingServer | undefined {
  if (entry.url !== undefined) return servers.find((s) => s.url !== undefined && sameUrl(s.url, entry.url!) && isDeepStrictEqual(s.headers, entry.headers));
  return servers.find(
    (s) =>
      s.command === entry.command &&
      s.args.length === entry.args.length &&
      s.args.every((arg, i) => arg === entry.args[i]) &&
      (s.cwd ?? '') === (entry.cwd ?? '') &&
      isDeepStrictEqual(s.env, entry.env),
  );
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href; // `HTTP://Host:443/x` and `http://host:443/x` are one
  } catch {
    return a === b;
  }
}

/** The body `POST /downstreams` takes for an entry: values clear (the service seals them at rest). */
function bodyOf(entry: ClientServerEntry, name: string, namespace: string): Record<string, unknown> {
  const address =
    entry.transport === 'stdio'
      ? { command: entry.command, args: entry.args, env: entry.env, ...(entry.cwd === undefined ? {} : { cwd: entry.cwd }) }
      : { url: entry.url, headers: entry.headers };
  return { name, transport: entry.transport, ...address, namespace, enabled: entry.enabled };
}

/**
 * What the wire shows of an entry: names of env vars and headers, never their values, and its
 * args and URL as GET /downstreams shows them (`show`: a password in a connection string, a token
 * in a query, masked).
 */
function describe(entry: ClientServerEntry, namespace: string, show: PlanContext['show']): ImportableServer {
  return {
    name: entry.name,
    transport: entry.transport,
    ...(entry.command === undefined ? {} : { command: show(entry.command), args: entry.args.map(show) }),
    ...(entry.cwd === undefined ? {} : { cwd: show(entry.cwd) }),
    ...(entry.url === undefined ? {} : { url: show(entry.url) }),
    env_names: Object.keys(entry.env),
    header_names: Object.keys(entry.headers),
    namespace,
    status: 'new',
    ...(entry.warnings.length > 0 ? { warnings: [...entry.warnings] } : {}),
  };
}

/**
 * The plan for a file's entries (in its order) against the servers MCPlexer has. `ours` comes
 * first (install's entry is never imported), then `unsupported` (the entry's own reason, or what
 * `POST /downstreams` would refuse in it), then `exists`, else `new`. `exists` answers the existing
 * server's namespace; every other entry takes a namespace of its own.
 */
export function planImport(entries: readonly ClientServerEntry[], servers: readonly ExistingServer[], context: PlanContext): PlannedEntry[] {
  const { file, show, own } = context;
  // A server is referred to by id, name or namespace (`resolveDownstream`): none may be given twice.
  const taken = new Set(servers.flatMap((s) => [s.id, s.name, s.namespace]));
  return entries.map((entry) => {
    const ours = isOurs(entry, own);
    const existing = ours || entry.unsupported !== undefined ? undefined : sameServer(entry, servers);
    if (existing) {
      const reason = `already in MCPlexer as server "${existing.name}" (namespace ${existing.namespace})`;
      return { answer: { ...describe(entry, existing.namespace, show), status: 'exists', reason, existing_server_id: existing.id } };
    }
    const namespace = freeNamespace(namespaceBase(entry.name), taken);
    taken.add(namespace);
    const answer = describe(entry, namespace, show);
    if (ours) return { answer: { ...answer, status: 'ours', reason: "MCPlexer's own entry (what install writes): nothing to import" } };
    if (entry.unsupported !== undefined) return { answer: { ...answer, status: 'unsupported', reason: entry.unsupported } };
    // The server's name: the entry's, unless another server already goes by it (then the namespace).
    const name = nameSchema.safeParse(entry.name).success && !taken.has(entry.name.trim()) ? entry.name.trim() : namespace;
    taken.add(name);
    const body = bodyOf(entry, name, namespace);
    const checked = downstreamCreateSchema.safeParse(body);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const reason = `MCPlexer would refuse it: ${issue.path.join('.') || 'the entry'} ${issue.message}; fix the entry in ${file}, or add the server in MCPlexer by hand`;
      return { answer: { ...answer, status: 'unsupported', reason } };
    }
    return { answer, body };
  });
}
