/**
 * The downstream pool: one instance per (server id, auth scope id), created on first use (up to
 * `max_instances` when a server sets it, the least loaded taking each call). It takes plain
 * `DownstreamServer` objects and a scope resolver, so it needs no config store; a server whose
 * launch settings changed gets fresh instances, and the old ones drain and stop.
 */
import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { silentLogger } from '../log.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { discoverAll } from './discover.js';
import { aggregateHealth } from './health.js';
import { Instance, type InstanceDeps } from './instance.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './line-reader.js';
import type { CallOptions, Discovered, DownstreamResult, PoolEvents, PoolOptions, ServerHealth, ToolCallParams } from './types.js';

const EMPTY_SCOPE = { env: {}, headers: {} };
/** Spawn/connect + initialize of one instance (the setting `start_timeout_sec`'s default). */
export const DEFAULT_START_TIMEOUT_MS = 15_000;

function getter(value: number | (() => number) | undefined, fallback: number): () => number {
  if (typeof value === 'function') return value;
  const fixed = value ?? fallback;
  return () => fixed;
}
const DISCOVER_TIMEOUT_MS = 60_000;

export class DownstreamPool extends EventEmitter<PoolEvents> {
  private readonly servers = new Map<string, Map<string, Instance[]>>();
  private readonly retiring = new Set<Promise<void>>();
  private readonly launchKeys = new WeakMap<DownstreamServer, string>();
  private readonly deps: InstanceDeps;
  private readonly drainTimeoutMs: number;

  constructor(options: PoolOptions = {}) {
    super();
    const resolveScope = options.resolveScope;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 5_000;
    this.deps = {
      clientInfo: options.clientInfo ?? { name: 'mcplexer', version: '0.0.0' },
      gatewayEnv: options.env ?? process.env,
      homeDir: options.homeDir ?? homedir(),
      startTimeoutMs: getter(options.startTimeoutMs, DEFAULT_START_TIMEOUT_MS),
      maxMessageBytes: getter(options.maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES),
      groups: options.groups,
      stopGraceMs: options.stopGraceMs ?? 3_000,
      healthyAfterMs: options.healthyAfterMs ?? 60_000,
      stderrLines: options.stderrLines ?? 200,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      logger: options.logger ?? silentLogger,
      resolveScope: async (scopeId) => (resolveScope ? await resolveScope(scopeId) : EMPTY_SCOPE),
      onState: (instance, state, error) => {
        this.emit('state', { server_id: instance.server.id, scope_id: instance.scopeId, state, ...(error === undefined ? {} : { error }) });
      },
      onUnrouted: (instance, notification) => {
        const ref = { server_id: instance.server.id, scope_id: instance.scopeId };
        this.emit('notification', { ...ref, notification });
        if (notification.method === 'notifications/tools/list_changed') this.emit('tools_changed', ref);
      },
    };
  }

  /** `tools/call` on the server under the given auth scope; the result is returned as the downstream sent it. */
  callTool(server: DownstreamServer, scopeId: string | null, params: ToolCallParams, opts: CallOptions): Promise<DownstreamResult> {
    return this.request(server, scopeId, 'tools/call', params, opts);
  }

  /** Any request (resources/read, resources/subscribe, prompts/get, completion/complete …). */
  request(
    server: DownstreamServer,
    scopeId: string | null,
    method: string,
    params: Record<string, unknown> | undefined,
    opts: CallOptions,
  ): Promise<DownstreamResult> {
    let instance: Instance;
    try {
      instance = this.instanceFor(server, scopeId);
    } catch (error) {
      return Promise.reject(error);
    }
    return instance.request(method, params, opts);
  }

  /** Every page of every list the server declared (starting it if needed). */
  discover(server: DownstreamServer, scopeId: string | null, opts: Partial<CallOptions> = {}): Promise<Discovered> {
    const callOptions: CallOptions = { timeoutMs: server.call_timeout_sec ? server.call_timeout_sec * 1000 : DISCOVER_TIMEOUT_MS, ...opts };
    try {
      return discoverAll(this.instanceFor(server, scopeId), callOptions);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stops every instance of a server (config changed, deleted or disabled): drain, then stop. */
  async stopServer(serverId: string, opts: { drainMs?: number } = {}): Promise<void> {
    const scopes = this.servers.get(serverId);
    if (!scopes) return;
    this.servers.delete(serverId);
    const drainMs = opts.drainMs ?? this.drainTimeoutMs;
    await Promise.all([...scopes.values()].flat().map((instance) => instance.stop('stopped', drainMs)));
  }

  /** Stops everything and waits until every process tree is gone. */
  async stopAll(opts: { drainMs?: number } = {}): Promise<void> {
    const ids = [...this.servers.keys()];
    await Promise.all(ids.map((id) => this.stopServer(id, opts)));
    await Promise.all([...this.retiring]);
  }

  /** Health per server: the given servers (so disabled and never-started ones appear), else every server seen. */
  health(servers?: DownstreamServer[]): ServerHealth[] {
    if (servers) return servers.map((server) => this.serverHealth(server));
    return [...this.servers.keys()].map((id) => this.serverHealth(id));
  }

  serverHealth(server: DownstreamServer | string): ServerHealth {
    const id = typeof server === 'string' ? server : server.id;
    const instances = [...(this.servers.get(id)?.values() ?? [])].flat();
    const disabled = typeof server !== 'string' && !server.enabled;
    return aggregateHealth(id, instances, disabled);
  }

  private instanceFor(server: DownstreamServer, scopeId: string | null): Instance {
    if (!server.enabled) throw new GatewayError('server_disabled', `downstream server "${server.name}" is disabled`);
    let scopes = this.servers.get(server.id);
    if (scopes === undefined) {
      scopes = new Map();
      this.servers.set(server.id, scopes);
    }
    const key = scopeId ?? '';
    let group = scopes.get(key);
    if (group !== undefined && group[0]!.server !== server) {
      if (this.launchKey(group[0]!.server) === this.launchKey(server)) for (const instance of group) instance.server = server;
      else {
        for (const instance of group) this.retire(instance);
        group = undefined;
      }
    }
    if (group === undefined) {
      group = [new Instance(server, scopeId || null, this.deps)];
      scopes.set(key, group);
    }
    return group.length === 1 && server.max_instances <= 1 ? group[0]! : this.leastLoaded(group, server, scopeId);
  }

  /** With `max_instances` > 1: the least loaded instance, or a new one when all are busy and there is room. */
  private leastLoaded(group: Instance[], server: DownstreamServer, scopeId: string | null): Instance {
    const max = Math.max(1, server.max_instances);
    let best = group[0]!;
    for (let i = 1; i < Math.min(group.length, max); i++) if (group[i]!.inFlight < best.inFlight) best = group[i]!;
    if (best.inFlight === 0 || group.length >= max) return best;
    const added = new Instance(server, scopeId || null, this.deps);
    group.push(added);
    return added;
  }

  private retire(instance: Instance): void {
    const stopping = instance.stop('stopped', this.drainTimeoutMs).finally(() => this.retiring.delete(stopping));
    this.retiring.add(stopping);
  }

  /** What a running process depends on; a change there needs a new instance. Cached per server object. */
  private launchKey(server: DownstreamServer): string {
    let key = this.launchKeys.get(server);
    if (key === undefined) {
      key = JSON.stringify([server.transport, server.command, server.args, server.env, server.cwd, server.url, server.headers]);
      this.launchKeys.set(server, key);
    }
    return key;
  }
}
