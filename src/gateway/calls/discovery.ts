import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { boundDiscovered, boundInstructions, BUILTIN_SERVER_ID, type DownstreamServer, type DownstreamService, type DroppedItem } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { unprefixedClashes } from './catalog.js';
import type { DiscoveredLists, DownstreamPort } from './downstream-port.js';
import type { RuntimeConfig } from './runtime-config.js';

/**
 * Discovery: asks a downstream for all its tools, resources, templates and prompts and stores them.
 * tools/list answers from what is stored; `prepareLists` re-discovers stale servers in the
 * background. Storing a discovery changes the config, after which each session whose visible
 * tools changed gets `tools/list_changed` (mcp/list-changes.ts); a 'changed' event names the lists
 * that really changed (resources and prompts go to every session).
 */
export class DiscoveryService extends EventEmitter {
  private readonly inFlight = new Map<string, Promise<DownstreamServer>>();
  private readonly refreshedAt = new Map<string, number>();
  private readonly failures = new Map<string, string>();
  private readonly dropped = new Map<string, DroppedItem[]>();
  /** First discoveries of servers never discovered: when each began (ms since the epoch), and its end (never rejects). */
  private readonly cold = new Map<string, { since: number; done: Promise<void> }>();

  constructor(private readonly deps: { config: () => RuntimeConfig; downstream: DownstreamPort; servers: DownstreamService; logger: Logger }) {
    super();
  }

  /** The auth scope discovery uses: that of the first route rule pointing at the server. */
  scopeFor(server: DownstreamServer): string | undefined {
    return this.deps.config().state.routes.find((rule) => rule.server_id === server.id && rule.auth_scope_id)?.auth_scope_id;
  }

  /**
   * POST /downstreams/{id}/discover: discovers now and answers the stored server (one run per
   * server at a time; a second caller shares it).
   * @throws GatewayError `not_found` (no such server), `server_disabled`, `bad_gateway` (the
   *   downstream failed to start or list; the reason is remembered for health), `conflict`
   *   (an `expose_unprefixed` server whose names would clash)
   */
  discover(serverId: string): Promise<DownstreamServer> {
    const running = this.inFlight.get(serverId);
    if (running) return running;
    const run = this.run(serverId).finally(() => this.inFlight.delete(serverId));
    this.inFlight.set(serverId, run);
    return run;
  }

  /** Forgets a server's remembered failure (a restart), so the next list discovers it again. */
  forget(serverId: string): void {
    this.failures.delete(serverId);
    this.dropped.delete(serverId);
  }

  lastFailure(serverId: string): string | undefined {
    return this.failures.get(serverId);
  }

  /** What the last discovery of a server left out of its stored lists (beyond the stored-value bounds), and why. */
  droppedItems(serverId: string): DroppedItem[] {
    return this.dropped.get(serverId) ?? [];
  }

  private async run(serverId: string): Promise<DownstreamServer> {
    const server = this.deps.servers.stored(serverId);
    if (server.id === BUILTIN_SERVER_ID) return server;
    if (!server.enabled) throw new GatewayError('server_disabled', `downstream server "${server.name}" is disabled`);
    let raw: DiscoveredLists;
    try {
      raw = await this.deps.downstream.discover(server, this.scopeFor(server) ?? null);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failures.set(serverId, message);
      throw new GatewayError('bad_gateway', `failed to discover tools: ${message}`, { cause: error });
    }
    // Before anything recursive (the comparison below, the store's copy) sees an item: drop what cannot be stored.
    const { kept: found, dropped } = boundDiscovered(raw);
    if (dropped.length > 0) {
      this.dropped.set(serverId, dropped);
      this.deps.logger.warn('discovery left items out', { server: server.name, dropped });
    } else this.dropped.delete(serverId);
    const instructions = boundInstructions(raw.instructions);
    if (instructions.problem !== undefined)
      this.deps.logger.warn('discovery left the server’s instructions out', { server: server.name, reason: instructions.problem });
    if (server.expose_unprefixed) {
      const clashes = unprefixedClashes(server, found, this.deps.config().state.downstreams);
      if (clashes.length > 0) {
        const message = `server "${server.name}" exposes its names unprefixed, but ${clashes.join(', ')} would clash; turn expose_unprefixed off on one of them`;
        this.failures.set(serverId, message);
        throw new GatewayError('conflict', message);
      }
    }
    this.failures.delete(serverId);
    this.refreshedAt.set(serverId, Date.now());
    const before = this.deps.servers.stored(serverId);
    const changed = (['tools', 'resources', 'resource_templates', 'prompts'] as const).filter((key) => !isDeepStrictEqual(before[key], found[key]));
    const stored = await this.deps.servers.saveDiscovered(serverId, { ...found, instructions: instructions.kept });
    // The catalog was rebuilt from what was just stored: it knows what cannot be listed, and why.
    for (const warning of this.deps.config().catalog.warningsFor(serverId))
      this.deps.logger.warn('discovered item not listed', { server: server.name, reason: warning });
    if (changed.length > 0) this.emit('changed', serverId, changed);
    return stored;
  }

  /**
   * Before answering a list: waits for servers never discovered, at most `tools_list_wait_ms`
   * counted from the start of each one's first discovery (so a second list does not wait again),
   * and starts background refreshes of those older than `tools_cache_ttl_sec`. A slow server's
   * discovery goes on after the list is answered; when it lands, the config changes and the
   * sessions whose visible list changed get `list_changed` (mcp/list-changes.ts). Failures are
   * remembered for health, never thrown.
   */
  async prepareLists(): Promise<void> {
    const config = this.deps.config();
    const ttlMs = config.settings.tools_cache_ttl_sec * 1000;
    const now = Date.now();
    const cold: Promise<void>[] = [];
    let deadline = 0;
    for (const server of config.state.downstreams) {
      if (server.id === BUILTIN_SERVER_ID || !server.enabled) continue;
      if (this.failures.has(server.id) && this.inFlight.has(server.id)) continue;
      if (server.discovered_at === null && !this.failures.has(server.id)) {
        const run = this.cold.get(server.id) ?? this.startCold(server, now);
        deadline = Math.max(deadline, run.since + config.settings.tools_list_wait_ms);
        cold.push(run.done);
        continue;
      }
      const last = this.refreshedAt.get(server.id) ?? 0;
      if (now - last >= ttlMs && !this.inFlight.has(server.id)) {
        this.refreshedAt.set(server.id, now);
        this.discover(server.id).catch((error: Error) => this.deps.logger.warn('background discovery failed', { server: server.name, reason: error.message }));
      }
    }
    const waitMs = deadline - now;
    if (cold.length === 0 || waitMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(cold), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  private startCold(server: DownstreamServer, since: number): { since: number; done: Promise<void> } {
    const done = this.discover(server.id).then(
      () => undefined,
      (error: Error) => this.deps.logger.warn('discovery failed', { server: server.name, reason: error.message }),
    );
    const run = { since, done: done.finally(() => this.cold.delete(server.id)) };
    this.cold.set(server.id, run);
    return run;
  }
}
