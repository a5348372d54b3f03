/**
 * What an import would do with each entry of a client's config: its status and the namespace it
 * would get. One plan serves `GET …/servers` and `POST …/import`, so the answer a user read is what
 * the import does. Namespaces are given in the file's order, each unique among the existing
 * servers' names and namespaces and among the plan's own (`-2`, `-3`, …).
 */
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

/** Whether an entry is MCPlexer's own, by content (ownership.ts), under any spelling of its name. */
function isOurs(entry: ClientServerEntry): boolean {
  return writtenByUs(entry.raw) || (LEGACY_NAMES.includes(entry.name) && legacyOfOurs(entry.raw));
}

/** The existing server that runs the same command and args, or is reached at the same URL. */
function sameServer(entry: ClientServerEntry, servers: readonly ExistingServer[]): ExistingServer | undefined {
  if (entry.url !== undefined) return servers.find((s) => s.url !== undefined && sameUrl(s.url, entry.url!));
  return servers.find((s) => s.command === entry.command && s.args.length === entry.args.length && s.args.every((arg, i) => arg === entry.args[i]));
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

/** What the wire shows of an entry: names of env vars and headers, never their values. */
function describe(entry: ClientServerEntry, namespace: string): ImportableServer {
  return {
    name: entry.name,
    transport: entry.transport,
    ...(entry.command === undefined ? {} : { command: entry.command, args: entry.args }),
    ...(entry.cwd === undefined ? {} : { cwd: entry.cwd }),
    ...(entry.url === undefined ? {} : { url: entry.url }),
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
export function planImport(entries: readonly ClientServerEntry[], servers: readonly ExistingServer[], file: string): PlannedEntry[] {
  const taken = new Set(servers.flatMap((s) => [s.name, s.namespace]));
  return entries.map((entry) => {
    const existing = isOurs(entry) || entry.unsupported !== undefined ? undefined : sameServer(entry, servers);
    if (existing) {
      const reason = `already in MCPlexer as server "${existing.name}" (namespace ${existing.namespace})`;
      return { answer: { ...describe(entry, existing.namespace), status: 'exists', reason, existing_server_id: existing.id } };
    }
    const namespace = freeNamespace(namespaceBase(entry.name), taken);
    taken.add(namespace);
    const answer = describe(entry, namespace);
    if (isOurs(entry)) return { answer: { ...answer, status: 'ours', reason: "MCPlexer's own entry (what install writes): nothing to import" } };
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
