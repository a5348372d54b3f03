import { conflict, GatewayError } from '../../errors.js';
import { negate, parseBody, validationError, type Alias } from '../parse.js';
import {
  BUILTIN_SERVER_ID,
  downstreamCreateSchema,
  downstreamUpdateSchema,
  type DownstreamServer,
  type DownstreamUpdate,
  type Source,
} from '../schemas/index.js';
import type { ConfigStore } from '../store.js';
import { dependantsConflict, findOrThrow, mergePatch, refuseNameIdClash, refuseYamlManaged, stamp, withId, type ServiceOptions } from './common.js';

const SERVER_KEYS = (s: DownstreamServer): Array<[string, string | undefined]> => [
  ['name', s.name],
  ['namespace', s.namespace],
];
import { checkCommandWord } from './command-word.js';
import { restoreSpans } from './downstream-spans.js';
import { presentDownstream, restoreMasked } from './downstream-view.js';
import { resolveDownstream } from './resolve.js';
import { withoutReadOnly, writableFields } from './read-only.js';

export const DOWNSTREAM_ALIASES: readonly Alias[] = [
  { from: 'tool_namespace', to: 'namespace' },
  { from: 'disabled', to: 'enabled', map: negate },
];
const WRITABLE = writableFields(downstreamUpdateSchema, DOWNSTREAM_ALIASES);

/** Discovered lists are written only by discovery, never through the API. */
export type Discovered = Pick<DownstreamServer, 'instructions' | 'tools' | 'resources' | 'resource_templates' | 'prompts'>;

/**
 * Downstream server definitions. The seeded `mcpx` server is read-only. Every `ref` is an id, a
 * name or a namespace (see `resolveDownstream`). What it answers shows the secret-looking env and
 * header values masked (`downstream-view.ts`); config.json holds them sealed (`at-rest.ts`).
 */
export class DownstreamService {
  constructor(
    private readonly store: ConfigStore,
    private readonly options: ServiceOptions = {},
  ) {}

  list(): DownstreamServer[] {
    return this.store.state.downstreams.map(presentDownstream);
  }

  /** @throws GatewayError `not_found`, or `conflict` when a name of one is the namespace of another. */
  get(ref: string): DownstreamServer {
    return presentDownstream(resolveDownstream(this.store.state.downstreams, ref));
  }

  /**
   * The stored definition, env and header values clear: for starting or reaching the server,
   * never for an answer. @throws GatewayError `not_found`, `conflict` as `get`.
   */
  stored(ref: string): DownstreamServer {
    return resolveDownstream(this.store.state.downstreams, ref);
  }

  /** @throws GatewayError `validation_failed` (a mask given as a value, see `restoreMasked`), `conflict`. */
  async create(body: unknown, source: Source = 'api'): Promise<DownstreamServer> {
    const input = parseBody(downstreamCreateSchema, body, DOWNSTREAM_ALIASES);
    restoreMasked('env', input.env);
    restoreMasked('headers', input.headers);
    restoreSpans('args', input.args, []);
    if (input.url !== undefined) restoreSpans('url', [input.url], []);
    const created = await this.store.update((draft) => {
      const server: DownstreamServer = {
        ...withId(input),
        tools: [],
        resources: [],
        resource_templates: [],
        prompts: [],
        discovered_at: null,
        ...stamp(source),
      };
      checkTransport(server);
      if (server.command !== undefined) checkCommandWord(server.command, server.args, server.cwd);
      checkNamespaceJoin(server, draft.downstreams);
      refuseNameIdClash(draft.downstreams, server, SERVER_KEYS, 'downstream server');
      draft.downstreams.push(server);
      return server;
    });
    return presentDownstream(created);
  }

  async update(ref: string, body: unknown): Promise<DownstreamServer> {
    const patch = parseBody(
      downstreamUpdateSchema,
      withoutReadOnly(body, WRITABLE, () => this.get(ref)),
      DOWNSTREAM_ALIASES,
    );
    const updated = await this.store.update((draft) => {
      const server = resolveDownstream(draft.downstreams, ref);
      if (server.id === BUILTIN_SERVER_ID)
        throw conflict('the built-in mcpx server cannot be changed; override its tool descriptions with the tool_description_overrides setting');
      refuseYamlManaged(server, 'downstream server', this.options);
      // A mask sent back (a form echoing what it read) keeps the stored value.
      if (patch.env) patch.env = restoreMasked('env', patch.env, server.env);
      if (patch.headers) patch.headers = restoreMasked('headers', patch.headers, server.headers);
      if (patch.args) patch.args = restoreSpans('args', patch.args, server.args);
      if (patch.url) patch.url = restoreSpans('url', [patch.url], server.url === undefined ? [] : [server.url])[0];
      const previous = server.transport;
      const transport = patch.transport ?? impliedTransport(patch) ?? previous;
      mergePatch(server, { ...patch, transport, updated_at: new Date().toISOString() });
      if (transport !== previous && transport !== 'internal') dropOtherTransport(server, transport, patch);
      checkTransport(server);
      if (patch.command !== undefined && server.command !== undefined) checkCommandWord(server.command, server.args, server.cwd);
      checkNamespaceJoin(server, draft.downstreams);
      if (patch.name !== undefined || patch.namespace !== undefined) refuseNameIdClash(draft.downstreams, server, SERVER_KEYS, 'downstream server');
      return server;
    });
    return presentDownstream(updated);
  }

  async remove(ref: string, cascade: boolean): Promise<void> {
    await this.store.update((draft) => {
      const server = resolveDownstream(draft.downstreams, ref);
      const id = server.id;
      if (id === BUILTIN_SERVER_ID) throw conflict('the built-in mcpx server cannot be deleted');
      refuseYamlManaged(server, 'downstream server', this.options);
      const routes = draft.routes.filter((r) => r.server_id === id);
      const scopes = draft.auth_scopes.filter((a) => a.server_id === id);
      if ((routes.length > 0 || scopes.length > 0) && !cascade) {
        dependantsConflict('downstream server', id, [...routes.map((r) => `route ${r.id}`), ...scopes.map((s) => `auth scope ${s.id}`)]);
      }
      for (const route of routes) refuseYamlManaged(route, 'route rule', this.options);
      const goneScopes = new Set(scopes.map((s) => s.id));
      draft.routes = draft.routes.filter((r) => r.server_id !== id);
      for (const route of draft.routes) if (route.auth_scope_id && goneScopes.has(route.auth_scope_id)) delete route.auth_scope_id;
      draft.auth_scopes = draft.auth_scopes.filter((a) => a.server_id !== id);
      draft.downstreams = draft.downstreams.filter((s) => s.id !== id);
    });
  }

  /** Stores what discovery found, with `discovered_at`; answers the server as the API shows it. */
  async saveDiscovered(id: string, found: Discovered): Promise<DownstreamServer> {
    const saved = await this.store.update((draft) => {
      const server = findOrThrow(draft.downstreams, id, 'downstream server');
      Object.assign(server, found, { discovered_at: new Date().toISOString() });
      if (found.instructions === undefined) delete server.instructions; // the server gives none now
      return server;
    });
    return presentDownstream(saved);
  }
}

/** A patch that sends only one transport's address implies that transport, as a create does. */
function impliedTransport(patch: DownstreamUpdate): 'stdio' | 'http' | undefined {
  if (patch.url !== undefined && patch.command === undefined) return 'http';
  if (patch.command !== undefined && patch.url === undefined) return 'stdio';
  return undefined;
}

/**
 * A server that changes transport keeps nothing of the other one unless the same patch sends
 * it (then `checkTransport` and the fields' own meaning decide): a stdio server turned http has
 * no command, args, env or cwd left to start a process with, and the reverse has no url or headers.
 */
function dropOtherTransport(server: DownstreamServer, transport: 'stdio' | 'http', patch: DownstreamUpdate): void {
  if (transport === 'http') {
    if (patch.command === undefined) delete server.command;
    if (patch.cwd === undefined) delete server.cwd;
    if (patch.args === undefined) server.args = [];
    if (patch.env === undefined) server.env = {};
  } else {
    if (patch.url === undefined) delete server.url;
    if (patch.headers === undefined) server.headers = {};
  }
}

function checkTransport(server: DownstreamServer): void {
  if (server.transport === 'stdio' && !server.command) {
    throw validationError([{ path: 'command', message: 'is required for a stdio server' }]);
  }
  if (server.transport === 'http' && !server.url) {
    throw validationError([{ path: 'url', message: 'is required for an http server' }]);
  }
  // Both kept, one would be stored unused and shown as if it counted.
  if (server.transport === 'stdio' && server.url) {
    throw validationError([
      { path: 'url', message: 'belongs to an http server: a stdio server runs its command; leave url out, or set transport "http" without command' },
    ]);
  }
  if (server.transport === 'http' && server.command) {
    throw validationError([
      { path: 'command', message: 'belongs to a stdio server: an http server is reached at its url; leave command out, or set transport "stdio" without url' },
    ]);
  }
  if (server.transport === 'internal') throw new GatewayError('validation_failed', 'transport "internal" is reserved for the built-in server');
}

/**
 * Refuses a namespace that joins to the same tool names as another server's: `a_` next to `a`
 * (`a___x` is both `a_` + `__` + `x` and `a` + `__` + `_x`). As namespaces hold no `__`, that
 * trailing `_` is the only way two namespaces can collide; tool names that collide in other ways
 * (after shortening) are found at discovery, which leaves the later tool out.
 *
 * @throws GatewayError `conflict` (409) naming both servers
 */
function checkNamespaceJoin(server: DownstreamServer, servers: readonly DownstreamServer[]): void {
  const ns = server.namespace;
  const other = servers.find((s) => s.id !== server.id && (s.namespace === `${ns}_` || `${s.namespace}_` === ns));
  if (!other) return;
  const [short, long] = other.namespace.length < ns.length ? [other.namespace, ns] : [ns, other.namespace];
  throw conflict(
    `namespace "${ns}" of server "${server.name}" and namespace "${other.namespace}" of server "${other.name}" join to the same tool names ` +
      `("${long}__x" is also "${short}__" + "_x"); choose a namespace that does not differ from "${other.namespace}" only by a trailing "_"`,
    [{ path: 'namespace', message: `clashes with namespace "${other.namespace}" of server "${other.name}"` }],
  );
}
