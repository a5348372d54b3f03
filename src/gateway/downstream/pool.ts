/**
 * The downstream pool: one instance per (server id, auth scope id, client capability set), created
 * on first use (up to `max_instances` when a server sets it, the least loaded taking each call).
 * It takes plain `DownstreamServer` objects and a scope resolver, so it needs no config store; a
 * server whose launch settings changed gets fresh instances, and the old ones drain and stop.
 * Resource subscriptions are counted per (instance, URI) and owner.
 */
import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { silentLogger } from '../log.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { discoverAll } from './discover.js';
import { aggregateHealth } from './health.js';
import { ALL_CLIENT_CAPABILITIES, type ClientCapabilityKey } from './client-capabilities.js';
import { Instance, type InstanceDeps } from './instance.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './line-reader.js';
import { launchKey } from './launch-key.js';
import { SubscriptionTable } from './subscriptions.js';
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
  /** server id → scope id ('' for none) → client capability key → instances. Nested, so a call builds no key string. */
  private readonly servers = new Map<string, Map<string, Map<ClientCapabilityKey, Instance[]>>>();
  private readonly retiring = new Set<Promise<void>>();
  private readonly subscriptions = new SubscriptionTable();
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
      servedUpMs: options.servedUpMs ?? 1_000,
      stderrLines: options.stderrLines ?? 200,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      logger: options.logger ?? silentLogger,
      resolveScope: async (scopeId) => (resolveScope ? await resolveScope(scopeId) : EMPTY_SCOPE),
      onState: (instance, state, error) => {
        if (state === 'ready') this.resubscribe(instance);
        this.emit('state', { server_id: instance.server.id, scope_id: instance.scopeId, state, ...(error === undefined ? {} : { error }) });
      },
      onUnrouted: (instance, notification) => {
        const ref = { server_id: instance.server.id, scope_id: instance.scopeId };
        const uri = notification.params?.uri;
        const updated = notification.method === 'notifications/resources/updated' && typeof uri === 'string';
        this.emit('notification', { ...ref, notification, subscribers: updated ? this.subscriptions.owners(instance, uri) : [] });
        if (notification.method === 'notifications/tools/list_changed') this.emit('tools_changed', ref);
      },
      onUnattributed: (instance, notification) => {
        const reason = 'calls of several client sessions are in flight';
        this.deps.logger.debug('downstream notification relayed to no client', { server: instance.server.id, method: notification.method, reason });
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
      instance = this.instanceFor(server, scopeId, opts.clientCapabilities ?? '');
    } catch (error) {
      return Promise.reject(error);
    }
    opts.instanceId = instance.id;
    return instance.request(method, params, opts);
  }

  /**
   * Every page of every list the server declared (starting it if needed), read through an
   * instance that declares every client capability the gateway can relay, so tools a server
   * registers only for capable clients are listed.
   */
  discover(server: DownstreamServer, scopeId: string | null, opts: Partial<CallOptions> = {}): Promise<Discovered> {
    const callOptions: CallOptions = { timeoutMs: server.call_timeout_sec ? server.call_timeout_sec * 1000 : DISCOVER_TIMEOUT_MS, ...opts };
    try {
      return discoverAll(this.instanceFor(server, scopeId, ALL_CLIENT_CAPABILITIES), callOptions);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `resources/subscribe` for `opts.owner`: sent downstream only for the first owner of
   * (instance, URI). @throws GatewayError `invalid_params` without an owner, and what `request` throws.
   */
  async subscribe(server: DownstreamServer, scopeId: string | null, uri: string, opts: CallOptions): Promise<void> {
    const owner = requireOwner(opts, 'resources/subscribe');
    const instance =
      this.subscriptions.holder(this.groupOf(server, scopeId, opts) ?? [], uri) ?? this.instanceFor(server, scopeId, opts.clientCapabilities ?? '');
    if (!this.subscriptions.has(instance, uri)) await instance.request('resources/subscribe', { uri }, opts);
    this.subscriptions.add(instance, uri, owner);
  }

  /** `resources/unsubscribe` for `opts.owner`: sent downstream only when the last owner leaves. Not subscribed: nothing to do. */
  async unsubscribe(server: DownstreamServer, scopeId: string | null, uri: string, opts: CallOptions): Promise<void> {
    const owner = requireOwner(opts, 'resources/unsubscribe');
    const instance = this.subscriptions.holder(this.groupOf(server, scopeId, opts) ?? [], uri, owner);
    if (instance && this.subscriptions.remove(instance, uri, owner)) await instance.request('resources/unsubscribe', { uri }, opts);
  }

  /** A client session ended: its subscriptions go, and the downstream unsubscribes where it was the last owner. */
  releaseOwner(owner: string): void {
    for (const [instance, uri] of this.subscriptions.dropOwner(owner)) {
      instance
        .request('resources/unsubscribe', { uri }, { timeoutMs: DISCOVER_TIMEOUT_MS })
        .catch((error: Error) =>
          this.deps.logger.debug('unsubscribe after the session ended failed', { server: instance.server.id, uri, reason: error.message }),
        );
    }
  }

  /** Stops every instance of a server (config changed, deleted or disabled): drain, then stop. */
  async stopServer(serverId: string, opts: { drainMs?: number } = {}): Promise<void> {
    const instances = this.instancesOf(serverId);
    if (!this.servers.delete(serverId)) return;
    const drainMs = opts.drainMs ?? this.drainTimeoutMs;
    for (const instance of instances) this.subscriptions.forget(instance);
    await Promise.all(instances.map((instance) => instance.stop('stopped', drainMs)));
  }

  /**
   * An auth scope's credentials changed (a refreshed or new OAuth token): the instances of that
   * scope on servers of the given transports are retired (no new calls; they stop once their calls
   * in flight finish, up to the drain timeout) and the next call starts a fresh one with the new
   * values. HTTP instances read the token per request and need this only for a new authorization.
   */
  retireScope(scopeId: string, transports: ReadonlyArray<DownstreamServer['transport']>): void {
    for (const scopes of this.servers.values()) {
      const groups = scopes.get(scopeId);
      if (groups === undefined) continue;
      const instances = [...groups.values()].flat();
      if (!instances.every((instance) => transports.includes(instance.server.transport))) continue;
      scopes.delete(scopeId);
      for (const instance of instances) this.retire(instance);
    }
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
    const instances = this.instancesOf(id);
    const disabled = typeof server !== 'string' && !server.enabled;
    return aggregateHealth(id, instances, disabled);
  }

  /** The instances of (server, scope, capability set), created on first use; `max_instances` > 1 balances load. */
  private instanceFor(server: DownstreamServer, scopeId: string | null, capabilities: ClientCapabilityKey): Instance {
    if (!server.enabled) throw new GatewayError('server_disabled', `downstream server "${server.name}" is disabled`);
    let scopes = this.servers.get(server.id);
    if (scopes === undefined) {
      scopes = new Map();
      this.servers.set(server.id, scopes);
    }
    let groups = scopes.get(scopeId ?? '');
    if (groups === undefined) {
      groups = new Map();
      scopes.set(scopeId ?? '', groups);
    }
    let group = groups.get(capabilities);
    if (group !== undefined && group[0]!.server !== server) {
      if (launchKey(group[0]!.server) === launchKey(server)) for (const instance of group) instance.server = server;
      else {
        for (const instance of group) this.retire(instance);
        group = undefined;
      }
    }
    if (group === undefined) {
      group = [new Instance(server, scopeId || null, this.deps, capabilities)];
      groups.set(capabilities, group);
    }
    return group.length === 1 && server.max_instances <= 1 ? group[0]! : this.leastLoaded(group, server, scopeId, capabilities);
  }

  private instancesOf(serverId: string): Instance[] {
    const instances: Instance[] = [];
    for (const groups of this.servers.get(serverId)?.values() ?? []) for (const group of groups.values()) instances.push(...group);
    return instances;
  }

  /** The live instances of (server, scope, the call's capability set), if any were started. */
  private groupOf(server: DownstreamServer, scopeId: string | null, opts: CallOptions): Instance[] | undefined {
    const group = this.servers
      .get(server.id)
      ?.get(scopeId ?? '')
      ?.get(opts.clientCapabilities ?? '');
    return group !== undefined && launchKey(group[0]!.server) === launchKey(server) ? group : undefined;
  }

  /** With `max_instances` > 1: the least loaded instance, or a new one when all are busy and there is room. */
  private leastLoaded(group: Instance[], server: DownstreamServer, scopeId: string | null, capabilities: ClientCapabilityKey): Instance {
    const max = Math.max(1, server.max_instances);
    let best = group[0]!;
    for (let i = 1; i < Math.min(group.length, max); i++) if (group[i]!.inFlight < best.inFlight) best = group[i]!;
    if (best.inFlight === 0 || group.length >= max) return best;
    const added = new Instance(server, scopeId || null, this.deps, capabilities);
    group.push(added);
    return added;
  }

  private retire(instance: Instance): void {
    this.subscriptions.forget(instance);
    const stopping = instance.stop('stopped', this.drainTimeoutMs).finally(() => this.retiring.delete(stopping));
    this.retiring.add(stopping);
  }

  /** A restarted connection has forgotten the subscriptions its owners still hold: send them again. */
  private resubscribe(instance: Instance): void {
    for (const uri of this.subscriptions.uris(instance)) {
      instance
        .request('resources/subscribe', { uri }, { timeoutMs: DISCOVER_TIMEOUT_MS })
        .catch((error: Error) => this.deps.logger.warn('subscribing again after a restart failed', { server: instance.server.id, uri, reason: error.message }));
    }
  }
}

function requireOwner(opts: CallOptions, method: string): string {
  if (opts.owner === undefined) throw new GatewayError('invalid_params', `${method} needs the owner (client session) it is made for`);
  return opts.owner;
}
