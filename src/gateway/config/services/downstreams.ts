import { conflict, GatewayError } from '../../errors.js';
import { negate, parseBody, validationError, type Alias } from '../parse.js';
import { BUILTIN_SERVER_ID, downstreamCreateSchema, downstreamUpdateSchema, type DownstreamServer, type Source } from '../schemas/index.js';
import type { ConfigStore } from '../store.js';
import { dependantsConflict, findOrThrow, indexOrThrow, mergePatch, stamp, withId } from './common.js';

export const DOWNSTREAM_ALIASES: readonly Alias[] = [
  { from: 'tool_namespace', to: 'namespace' },
  { from: 'disabled', to: 'enabled', map: negate },
];

/** Discovered lists are written only by discovery, never through the API. */
export type Discovered = Pick<DownstreamServer, 'tools' | 'resources' | 'resource_templates' | 'prompts'>;

/** Downstream server definitions. The seeded `mcpx` server is read-only. */
export class DownstreamService {
  constructor(private readonly store: ConfigStore) {}

  list(): DownstreamServer[] {
    return this.store.state.downstreams;
  }

  get(id: string): DownstreamServer {
    return findOrThrow(this.store.state.downstreams, id, 'downstream server');
  }

  async create(body: unknown, source: Source = 'api'): Promise<DownstreamServer> {
    const input = parseBody(downstreamCreateSchema, body, DOWNSTREAM_ALIASES);
    return this.store.update((draft) => {
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
      draft.downstreams.push(server);
      return server;
    });
  }

  async update(id: string, body: unknown): Promise<DownstreamServer> {
    const patch = parseBody(downstreamUpdateSchema, body, DOWNSTREAM_ALIASES);
    return this.store.update((draft) => {
      const server = findOrThrow(draft.downstreams, id, 'downstream server');
      if (id === BUILTIN_SERVER_ID)
        throw conflict('the built-in mcpx server cannot be changed; override its tool descriptions with the tool_description_overrides setting');
      mergePatch(server, { ...patch, updated_at: new Date().toISOString() });
      checkTransport(server);
      return server;
    });
  }

  async remove(id: string, cascade: boolean): Promise<void> {
    await this.store.update((draft) => {
      indexOrThrow(draft.downstreams, id, 'downstream server');
      if (id === BUILTIN_SERVER_ID) throw conflict('the built-in mcpx server cannot be deleted');
      const routes = draft.routes.filter((r) => r.server_id === id);
      const scopes = draft.auth_scopes.filter((a) => a.server_id === id);
      if ((routes.length > 0 || scopes.length > 0) && !cascade) {
        dependantsConflict('downstream server', id, [...routes.map((r) => `route ${r.id}`), ...scopes.map((s) => `auth scope ${s.id}`)]);
      }
      const goneScopes = new Set(scopes.map((s) => s.id));
      draft.routes = draft.routes.filter((r) => r.server_id !== id);
      for (const route of draft.routes) if (route.auth_scope_id && goneScopes.has(route.auth_scope_id)) delete route.auth_scope_id;
      draft.auth_scopes = draft.auth_scopes.filter((a) => a.server_id !== id);
      draft.downstreams = draft.downstreams.filter((s) => s.id !== id);
    });
  }

  /** Stores what discovery found, with `discovered_at`. */
  async saveDiscovered(id: string, found: Discovered): Promise<DownstreamServer> {
    return this.store.update((draft) => {
      const server = findOrThrow(draft.downstreams, id, 'downstream server');
      Object.assign(server, found, { discovered_at: new Date().toISOString() });
      return server;
    });
  }
}

function checkTransport(server: DownstreamServer): void {
  if (server.transport === 'stdio' && !server.command) {
    throw validationError([{ path: 'command', message: 'is required for a stdio server' }]);
  }
  if (server.transport === 'http' && !server.url) {
    throw validationError([{ path: 'url', message: 'is required for an http server' }]);
  }
  if (server.transport === 'internal') throw new GatewayError('validation_failed', 'transport "internal" is reserved for the built-in server');
}
