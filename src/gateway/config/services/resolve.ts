import path from 'node:path';
import { conflict, notFound } from '../../errors.js';
import { normaliseRoot, type DownstreamServer, type Workspace } from '../schemas/index.js';

/** A key other than the id by which an entity may be named in a path or a body. */
export type RefKey<T> = (item: T) => string | undefined;

/**
 * Finds the entity a client named: an exact id always wins; otherwise the one entity whose name
 * (or another key in `keys`) equals `ref`. Shapes: `items` in store order, `kind` for messages.
 * @throws GatewayError `not_found` when nothing matches; `conflict` when `ref` is not an id and
 *   names several entities (the message lists their ids, which always work).
 */
export function findByRef<T extends { id: string }>(items: readonly T[], ref: string, kind: string, keys: ReadonlyArray<RefKey<T>>): T {
  const byId = items.find((item) => item.id === ref);
  if (byId) return byId;
  const matches = items.filter((item) => keys.some((key) => key(item) === ref));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw notFound(kind, ref);
  throw conflict(
    `${kind} "${ref}" is ambiguous: it names ${matches.length} of them (ids ${matches.map((m) => m.id).join(', ')}); use the id instead`,
    matches.map((m) => ({ path: 'id', message: `"${ref}" matches ${kind} ${m.id}` })),
  );
}

/** The `name` key most entities are found by. */
export const byName = <T extends { name?: string | undefined }>(item: T) => item.name;

/** Absolute paths compare in their normalised form, as `root_path` is stored. */
function rootKey(ref: string): RefKey<Workspace> {
  const wanted = path.isAbsolute(ref) ? normaliseRoot(ref) : undefined;
  return (workspace) => (wanted === undefined ? undefined : workspace.root_path === wanted ? ref : undefined);
}

/**
 * The workspace `ref` names: its id, else its name, else its `root_path` (absolute, compared
 * normalised). Shared by the REST id routes, dry-run and anything else that takes a workspace.
 * @throws GatewayError `not_found`, or `conflict` when a name of one equals the root of another.
 */
export function resolveWorkspace(workspaces: readonly Workspace[], ref: string): Workspace {
  return findByRef(workspaces, ref, 'workspace', [byName, rootKey(ref)]);
}

/** A downstream server by id, else by name or namespace. @throws as `findByRef`. */
export function resolveDownstream(servers: readonly DownstreamServer[], ref: string): DownstreamServer {
  return findByRef(servers, ref, 'downstream server', [byName, (server) => server.namespace]);
}
