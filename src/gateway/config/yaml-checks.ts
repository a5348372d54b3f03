import { isEncrypted } from '../secrets/index.js';
import { validationError } from './parse.js';
import { SECRET_MASK } from './schemas/index.js';
import { GatewayError } from '../errors.js';
import type { ConfigState } from './schemas/index.js';

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
 * Each route's workspace, server and auth scope exist once the file is applied: in the file, or
 * made through the API (YAML items not in the file are pruned).
 * @throws GatewayError `validation_failed` naming the file, the line and the field
 */
export function checkReferences(
  routes: ReadonlyArray<{ workspace_id: string; server_id?: string; auth_scope_id?: string }>,
  fromFile: { workspaces: ReadonlySet<string>; servers: ReadonlySet<string> },
  state: ConfigState,
  file: string,
  lineOf: LineOf,
): void {
  const kept = (items: ReadonlyArray<{ id: string; source: string }>, inFile: ReadonlySet<string>) =>
    new Set([...items.filter((item) => item.source !== 'yaml').map((item) => item.id), ...inFile]);
  const workspaces = kept(state.workspaces, fromFile.workspaces);
  const servers = kept(state.downstreams, fromFile.servers);
  const scopes = new Set(state.auth_scopes.map((scope) => scope.id));
  routes.forEach((route, index) => {
    const missing = (field: string, what: string, id: string) =>
      new GatewayError(
        'validation_failed',
        `${file}${lineOf(['routes', index, field])}: routes[${index}]: ${field}: ${what} "${id}" does not exist (in this file or made through the API)`,
      );
    if (!workspaces.has(route.workspace_id)) throw missing('workspace_id', 'workspace', route.workspace_id);
    if (route.server_id !== undefined && !servers.has(route.server_id)) throw missing('server_id', 'downstream server', route.server_id);
    if (route.auth_scope_id !== undefined && !scopes.has(route.auth_scope_id)) throw missing('auth_scope_id', 'auth scope', route.auth_scope_id);
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
