import { BUILTIN_NAMESPACE, type DownstreamServer } from '../../config/index.js';
import { GatewayError } from '../../errors.js';
import type { Catalog, ToolEntry } from '../catalog.js';
import { fromGatewayUri, templatePrefix } from '../resource-uri.js';
import { normalUri } from '../uri-normal-form.js';
import type { RuntimeConfig } from '../runtime-config.js';

/** The original's name for the built-in namespace; still accepted, as `mcpx__`. */
export const LEGACY_BUILTIN_PREFIX = 'mcplexer__';
const BUILTIN_PREFIX = `${BUILTIN_NAMESPACE}__`;

/** What the normalise step finds out about a name; the call record holds the same fields. */
export interface NormalisedName {
  /** The full name (`namespace__tool`): what route rules match and what audit records. */
  name: string;
  /** The catalog entry, when the tool was discovered. */
  entry: ToolEntry | undefined;
  /** The server that offers it (discovered, or by its namespace), if any. */
  server: DownstreamServer | undefined;
  downstreamName: string | undefined;
  /** Known only for a discovered tool; resources, prompts and completion are reads. */
  readOnly: boolean | undefined;
}

/**
 * What a tool's (or prompt's) name may be: 1 to 128 of A–Z, a–z, 0–9, `_`, `-` and `.` (MCP
 * 2025-11-25, server/tools, "Tool names"). A name its server did not list is passed on by its
 * namespace only in this shape: `x `, `x\u0000` or `../x` could be trimmed or resolved by the
 * server into a name a rule denies by its exact name.
 */
export const SPEC_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** What no URI holds (RFC 3986 §2): whitespace and control characters. A URI with one is passed on to no server. */
const NOT_IN_URI = /[\s\u0000-\u001f\u007f]/;

/** A tool name as a client sent it, normalised for routing and dispatch. */
export type ResolvedToolName = Readonly<NormalisedName>;

/**
 * Step 1 for tools/call: the one normalising step before routing, shared by every real call
 * (both `/mcp` paths, both eras, the bridge) and by dry-run, so the two can never disagree: the
 * legacy `mcplexer__` prefix becomes `mcpx__`, and a listed (shortened) name becomes the full name
 * it stands for. O(1): two map lookups in the catalog compiled for this config. Never throws: a
 * name nobody offers is still routed (a deny refuses it before "unknown tool" is said).
 *
 * @param catalog the current config's catalog
 * @param requested the name the client (or the dry-run body) gave
 * @param into where the fields go (the call record on a real call: no object is allocated)
 */
export function normaliseTool<T extends NormalisedName>(catalog: Catalog, requested: string, into: T): T {
  const given = requested.startsWith(LEGACY_BUILTIN_PREFIX) ? BUILTIN_PREFIX + requested.slice(LEGACY_BUILTIN_PREFIX.length) : requested;
  const entry = catalog.tool(given);
  if (entry) {
    into.name = entry.fullName;
    into.entry = entry;
    into.server = entry.server;
    into.downstreamName = entry.downstreamName;
    into.readOnly = entry.readOnly;
    return into;
  }
  const owner = catalog.ownerOf(given);
  into.name = given;
  into.entry = undefined;
  into.server = owner?.server;
  into.downstreamName = owner?.downstreamName;
  into.readOnly = undefined;
  return into;
}

/** `normaliseTool` into a new object: dry-run's form. */
export function resolveToolName(catalog: Catalog, requested: string): ResolvedToolName {
  return normaliseTool(catalog, requested, { name: requested, entry: undefined, server: undefined, downstreamName: undefined, readOnly: undefined });
}

/**
 * Step 1 for prompts/get (and completion of a prompt argument): the listed or full prompt name →
 * its full name, server and the downstream's own name; routed like a tool of that name.
 */
export function normalisePrompt(catalog: Catalog, requested: string, into: NormalisedName): void {
  const entry = catalog.prompt(requested);
  const byNamespace = entry ? undefined : catalog.ownerOf(requested);
  const owner = entry ?? (byNamespace && SPEC_NAME.test(byNamespace.downstreamName) ? byNamespace : undefined);
  into.name = entry?.fullName ?? requested;
  into.entry = undefined;
  into.server = owner?.server;
  into.downstreamName = owner?.downstreamName;
  into.readOnly = true;
}

/**
 * Step 1 for resources/read (and completion of a resource template): a client URI → the server
 * that owns it and the URI the server knows it by. A `mcplexer://<namespace>/<uri>` names its
 * server; a URI of an `expose_unprefixed` server is found by its listed resources, then by its
 * templates' static prefixes, then (one such server only) taken to be that server's. A server's
 * own URI that a result of this session pointed at (`linked`: a tool's `resource_link`) is that
 * server's. The URI is
 * taken in its normal form (`uri-normal-form.ts`, RFC 3986 §6.2.2), which is also what the server
 * is sent: the spelling a rule decides is the one read. The routed
 * name is `<namespace>__<the server's own URI>` (the URI alone for an unprefixed server), so a
 * rule's tool pattern covers a server's resources as it covers its tools (`everything__*`).
 */
export function normaliseResource(
  config: RuntimeConfig,
  requested: string,
  into: NormalisedName,
  form: 'uri' | 'template' = 'uri',
  linked?: ReadonlyMap<string, string>,
): void {
  // A template (completion's `ref/resource`) goes as listed: RFC 3986 normalises URIs, not templates,
  // and a server finds its template by its exact text.
  const normal = form === 'uri' ? normalUri : (uri: string) => uri;
  into.entry = undefined;
  into.readOnly = true;
  if (NOT_IN_URI.test(requested)) {
    into.server = undefined;
    into.downstreamName = undefined;
    into.name = requested;
    return;
  }
  const mapped = fromGatewayUri(requested);
  const byNamespace = mapped && config.catalog.serverByNamespace(mapped.namespace);
  // A URI a result of this session pointed at, in the server's own form (resource-links.ts).
  const linkedId = mapped ? undefined : linked?.get(requested);
  const byLink = linkedId === undefined ? undefined : config.catalog.servers.find((s) => s.id === linkedId);
  const owner = mapped && byNamespace && !byNamespace.expose_unprefixed ? byNamespace : byLink && !byLink.expose_unprefixed ? byLink : undefined;
  if (owner) {
    const uri = normal(mapped ? mapped.uri : requested);
    into.server = owner;
    into.downstreamName = uri;
    into.name = `${owner.namespace}__${uri}`;
    return;
  }
  const uri = normal(requested);
  into.server = unprefixedOwner(config, uri);
  into.downstreamName = into.server ? uri : undefined;
  into.name = uri;
}

function unprefixedOwner(config: RuntimeConfig, uri: string): DownstreamServer | undefined {
  const unprefixed = config.catalog.servers.filter((s) => s.enabled && s.transport !== 'internal' && s.expose_unprefixed);
  const exact = unprefixed.find((s) => s.resources.some((r) => r.uri === uri || normalUri(String(r.uri)) === uri));
  if (exact) return exact;
  const byTemplate = unprefixed.find((s) =>
    s.resource_templates.some((t) => {
      const prefix = templatePrefix(String(t.uriTemplate));
      return prefix.length > 0 && uri.startsWith(prefix);
    }),
  );
  if (byTemplate) return byTemplate;
  return unprefixed.length === 1 ? unprefixed[0] : undefined;
}

/**
 * Step 1 for completion/complete: its `ref` names a prompt (`ref/prompt`) or a resource template
 * (`ref/resource`), normalised as those are. Returns the ref as the downstream must see it.
 *
 * @throws GatewayError `invalid_params` for any other ref type
 */
export function normaliseCompletionRef(config: RuntimeConfig, ref: CompletionRef, into: NormalisedName): CompletionRef {
  if (ref.type === 'ref/prompt') {
    normalisePrompt(config.catalog, String(ref.name), into);
    return { ...ref, name: into.downstreamName };
  }
  if (ref.type === 'ref/resource') {
    normaliseResource(config, String(ref.uri), into, 'template');
    return { ...ref, uri: into.downstreamName };
  }
  throw new GatewayError('invalid_params', `completion ref type "${String(ref.type)}" is not supported: use "ref/prompt" or "ref/resource"`);
}

/** The `ref` of a completion/complete request (MCP 2025-11-25 `PromptReference` | `ResourceTemplateReference`). */
export interface CompletionRef {
  type?: string;
  name?: string;
  uri?: string;
  [key: string]: unknown;
}
