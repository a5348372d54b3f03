import { BUILTIN_NAMESPACE, type DownstreamServer } from '../config/index.js';
import type { Catalog, ToolEntry } from './catalog.js';

/** The original's name for the built-in namespace; still accepted, as `mcpx__`. */
export const LEGACY_BUILTIN_PREFIX = 'mcplexer__';
const BUILTIN_PREFIX = `${BUILTIN_NAMESPACE}__`;

/** A tool name as a client sent it, normalised for routing and dispatch. */
export interface ResolvedToolName {
  /** The full name (`namespace__tool`): what route rules match and what audit records. */
  readonly name: string;
  /** The catalog entry, when the tool was discovered. */
  readonly entry: ToolEntry | undefined;
  /** The server that offers it (discovered, or by its namespace), if any. */
  readonly server: DownstreamServer | undefined;
  readonly downstreamName: string | undefined;
  /** Known only for a discovered tool. */
  readonly readOnly: boolean | undefined;
}

/**
 * The one normalising step before routing, shared by every real call (both `/mcp` paths, both
 * eras, the bridge) and by dry-run, so the two can never disagree: the legacy `mcplexer__` prefix
 * becomes `mcpx__`, and a listed (shortened) name becomes the full name it stands for. O(1): two
 * map lookups in the catalog compiled for this config.
 *
 * @param catalog the current config's catalog
 * @param requested the name the client (or the dry-run body) gave
 */
export function resolveToolName(catalog: Catalog, requested: string): ResolvedToolName {
  const given = requested.startsWith(LEGACY_BUILTIN_PREFIX) ? BUILTIN_PREFIX + requested.slice(LEGACY_BUILTIN_PREFIX.length) : requested;
  const entry = catalog.tool(given);
  if (entry) return { name: entry.fullName, entry, server: entry.server, downstreamName: entry.downstreamName, readOnly: entry.readOnly };
  const owner = catalog.ownerOf(given);
  return { name: given, entry: undefined, server: owner?.server, downstreamName: owner?.downstreamName, readOnly: undefined };
}
