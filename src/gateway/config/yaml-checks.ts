import { isEncrypted } from '../secrets/index.js';
import { validationError } from './parse.js';
import { SECRET_MASK } from './schemas/index.js';
import { GatewayError, isGatewayError } from '../errors.js';
import type { ConfigState, DownstreamServer, Workspace } from './schemas/index.js';
import { byName, findByRef, resolveDownstream, resolveWorkspace } from './services/resolve.js';

/** ", line N" of the deepest node of `keys` the file has (yaml-import.ts). */
export type LineOf = (keys: Array<string | number>) => string;

/** The top-level keys a YAML config file may hold (`servers` is another name for `downstreams`). */
export const YAML_KEYS: readonly string[] = ['workspaces', 'downstreams', 'servers', 'routes'];

/**
 * A key the file does not know is a mistake, not something to ignore: `route:` for `routes:`
 * would otherwise read as a file without routes and prune every rule it made.
 * @throws GatewayError `validation_failed` naming the file, the line and the key
 */
export function checkTopLevel(doc: Record<string, unknown>, file: string, lineOf: LineOf): void {
  for (const key of Object.keys(doc)) {
    if (!YAML_KEYS.includes(key)) {
      throw new GatewayError(
        'validation_failed',
        `${file}${lineOf([key])}: unknown key "${key}": the file holds workspaces, downstreams (or servers) and routes`,
      );
    }
  }
  if (doc.downstreams !== undefined && doc.servers !== undefined) {
    throw new GatewayError('validation_failed', `${file}${lineOf(['servers'])}: "servers" is another name for "downstreams": use one of them`);
  }
}

/**
 * Two items of one list with the same value of `field` (an id given twice, two items whose
 * derived ids agree, a name or namespace used twice): the later would silently replace the
 * earlier, so the file is refused, naming both.
 * @throws GatewayError `validation_failed` naming the file, the later item's line and the earlier item
 */
export function checkUnique(items: ReadonlyArray<Record<string, unknown>>, list: string, field: string, file: string, lineOf: LineOf): void {
  const seen = new Map<unknown, number>();
  items.forEach((item, index) => {
    const value = item[field];
    if (value === undefined) return;
    const first = seen.get(value);
    if (first !== undefined) {
      throw new GatewayError(
        'validation_failed',
        `${file}${lineOf([list, index, field])}: ${list}[${index}]: ${field} ${JSON.stringify(value)} is also ${list}[${first}]'s${lineOf([list, first])}: each ${field} once (an item written twice?)`,
      );
    }
    seen.set(value, index);
  });
}

/**
 * Puts ids in place of each route's `workspace_id`, `server_id` and `auth_scope_id`, which may
 * name the entity as the REST bodies do (`resolveBodyRefs`): a workspace by id, name or root path,
 * a server by id, name or namespace, an auth scope by id or name; among the file's own items and
 * those made through the API (YAML items not in the file are pruned). A user who wrote
 * `workspace_id: webapp` for the workspace named `webapp` in the same file was told it did not
 * exist: only the derived id `yaml-ws-webapp` was found. Mutates `routes`.
 * @throws GatewayError `validation_failed` naming the file, the line and the field, when a
 *   reference names nothing or several entities (then with their ids)
 */
export function resolveReferences(
  routes: Array<{ workspace_id: string; server_id?: string | undefined; auth_scope_id?: string | undefined }>,
  fromFile: {
    workspaces: ReadonlyArray<Pick<Workspace, 'id' | 'name' | 'root_path'>>;
    servers: ReadonlyArray<{ id: string; name?: string; namespace?: string }>;
  },
  state: ConfigState,
  file: string,
  lineOf: LineOf,
): void {
  const fileIds = (items: ReadonlyArray<{ id: string }>) => new Set(items.map((item) => item.id));
  const kept = <T extends { id: string; source: string }, F extends { id: string }>(items: readonly T[], inFile: readonly F[]) => {
    const ids = fileIds(inFile);
    return [...inFile, ...items.filter((item) => item.source !== 'yaml' && !ids.has(item.id))];
  };
  const workspaces = kept(state.workspaces, fromFile.workspaces) as Workspace[];
  const servers = kept(state.downstreams, fromFile.servers) as DownstreamServer[];
  routes.forEach((route, index) => {
    const resolve = (field: 'workspace_id' | 'server_id' | 'auth_scope_id', kind: string, by: string, find: (ref: string) => { id: string }) => {
      const ref = route[field];
      if (ref === undefined) return;
      try {
        route[field] = find(ref).id;
      } catch (error) {
        if (!isGatewayError(error)) throw error;
        const why = error.code === 'not_found' ? `${kind} "${ref}" does not exist (in this file or made through the API; give its ${by})` : error.message;
        throw new GatewayError('validation_failed', `${file}${lineOf(['routes', index, field])}: routes[${index}]: ${field}: ${why}`);
      }
    };
    resolve('workspace_id', 'workspace', 'id, name or root path', (ref) => resolveWorkspace(workspaces, ref));
    resolve('server_id', 'downstream server', 'id, name or namespace', (ref) => resolveDownstream(servers, ref));
    resolve('auth_scope_id', 'auth scope', 'id or name', (ref) => findByRef(state.auth_scopes, ref, 'auth scope', [byName]));
  });
}

/**
 * Refuses a server env or header value in the YAML file that is not a value: an `enc:v1:…`
 * envelope copied from config.json (the child got the envelope as its token: a trial), or the
 * mask `********` an API answer shows. The file holds values in clear, or `${VAR}` references.
 * @throws GatewayError `validation_failed` with the path (`env.GITHUB_TOKEN`), for the line
 */
export function checkPlainValues(server: { env: Record<string, string>; headers: Record<string, string> }): void {
  for (const field of ['env', 'headers'] as const) {
    for (const [key, value] of Object.entries(server[field])) {
      const what = isEncrypted(value)
        ? 'is an encrypted value copied from config.json, which only that gateway can open'
        : value === SECRET_MASK
          ? `is the mask ${SECRET_MASK} an API answer shows, not the value`
          : undefined;
      if (what)
        throw validationError([{ path: `${field}.${key}`, message: `${what}: write the value itself, or \${NAME} to take it from the gateway's environment` }]);
    }
  }
}
