import type { AuthScope, DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { argumentsKey } from './key.js';
import { withCacheMeta } from './meta.js';
import { CachePolicy } from './policy.js';
import { ServerStore, type ToolCallCounters } from './store.js';

type Result = Record<string, unknown>;

/** What a call through the cache reports back (the call record satisfies it). */
export interface CacheOutcome {
  cacheHit: boolean;
}

/** One tool call as the cache sees it. */
export interface CacheCall {
  serverId: string;
  /** The decided auth scope; null for none. */
  scopeId: string | null;
  /**
   * The calling client's instance key (its declared capabilities and roots: the pool's
   * `clientCapabilities`): only calls that would reach the same kind of instance share a result
   * (a trial: a session got another's `get-roots-list` answer from the cache). '' for none.
   */
  client: string;
  /** The tool's un-namespaced name (as the downstream knows it). */
  tool: string;
  /** The forwarded arguments (`_cache_bust` already taken out). */
  args: Record<string, unknown> | undefined;
  /** The discovered `readOnlyHint`. */
  readOnly: boolean | undefined;
  /** `_cache_bust: true`: skip the lookup, call, and store the fresh result. */
  bust: boolean;
  /** The client's cancellation: a call waiting for another's identical call stops waiting. */
  signal?: AbortSignal | undefined;
}

interface Slot {
  readonly policy: CachePolicy;
  readonly store: ServerStore;
  readonly fingerprint: string;
}

/**
 * The tool-call result cache (README.md): per downstream server a `ServerStore` (LRU by entries
 * and bytes, TTL, an index per auth scope) under that server's compiled `CachePolicy`. Keys are
 * (auth scope, tool, the arguments' canonical JSON or its SHA-256: `argumentsKey`) within the server's store;
 * identical concurrent misses share one downstream call. Results with `isError: true` and thrown
 * errors are never stored; a successful mutation drops its server + scope's entries.
 */
export class ToolCallCache {
  private slots = new Map<string, Slot>();
  private scopeFingerprints = new Map<string, string>();
  private readonly counters: ToolCallCounters = { hits: 0, misses: 0, evictions: 0, entries: 0, bytes: 0 };

  /**
   * Applies a config: compiles each server's policy; drops the entries of a server that is gone
   * or whose definition or `cache_config` changed (its answers may differ now), and of an auth
   * scope that changed or is gone (other credentials may see other data). Call at start and on
   * every config change; never per call.
   */
  configure(downstreams: readonly DownstreamServer[], authScopes: readonly AuthScope[]): void {
    const next = new Map<string, Slot>();
    for (const server of downstreams) {
      if (server.transport === 'internal') continue;
      const fingerprint = serverFingerprint(server);
      const old = this.slots.get(server.id);
      if (old?.fingerprint === fingerprint) {
        next.set(server.id, old);
        continue;
      }
      old?.store.clear();
      const policy = new CachePolicy(server.cache_config);
      next.set(server.id, { policy, store: new ServerStore(policy.bounds, this.counters), fingerprint });
    }
    for (const [id, old] of this.slots) if (!next.has(id)) old.store.clear();
    this.slots = next;

    const scopes = new Map<string, string>();
    for (const scope of authScopes) scopes.set(scope.id, JSON.stringify({ ...scope, updated_at: undefined }));
    for (const [id, old] of this.scopeFingerprints) if (scopes.get(id) !== old) for (const slot of next.values()) slot.store.invalidateScope(id);
    this.scopeFingerprints = scopes;
  }

  /**
   * A tool call through the cache. A hit answers synchronously (no promise); a miss calls
   * `invoke` once for all identical concurrent misses. Every result comes back with `_meta.cache`.
   *
   * @param into `cacheHit` is set on a hit
   * @param invoke the downstream call
   * @throws what `invoke` throws (a waiting identical call gets the same error, except that a
   *   cancellation of the other client's call makes it call on its own); GatewayError `cancelled`
   *   when `call.signal` aborts while waiting for another's call
   */
  call(call: CacheCall, into: CacheOutcome, invoke: () => Promise<Result> | Result): Result | Promise<Result> {
    const slot = this.slots.get(call.serverId);
    const scope = call.scopeId ?? '';
    if (slot === undefined || !slot.policy.isCacheable(call.tool, call.readOnly)) return this.mutate(slot?.store, scope, invoke);
    const hash = argumentsKey(call.args);
    if (hash === undefined) return this.mutate(undefined, scope, invoke);
    const key = `${scope}\u0000${call.client}\u0000${call.tool}\u0000${hash}`;
    const store = slot.store;
    if (!call.bust) {
      const now = Date.now();
      const entry = store.get(key, now);
      if (entry !== undefined) {
        this.counters.hits += 1;
        into.cacheHit = true;
        return withCacheMeta(entry.result, true, Math.floor((now - entry.storedAt) / 1000));
      }
      this.counters.misses += 1;
      const flight = store.flights.get(key);
      if (flight !== undefined) return this.join(flight, store, key, scope, invoke, call.signal);
    }
    return this.fill(store, key, scope, invoke);
  }

  /**
   * Drops cached results: one server's (by id) or every server's.
   *
   * @returns false when `serverId` names no server the cache knows
   */
  flush(serverId?: string): boolean {
    if (serverId === undefined) {
      for (const slot of this.slots.values()) slot.store.clear();
      return true;
    }
    const slot = this.slots.get(serverId);
    slot?.store.clear();
    return slot !== undefined;
  }

  /** The counters (hits, misses, evictions since start; entries and bytes now). */
  counts(): Readonly<ToolCallCounters> {
    return { ...this.counters };
  }

  private async mutate(store: ServerStore | undefined, scope: string, invoke: () => Promise<Result> | Result): Promise<Result> {
    const result = await invoke();
    if (store !== undefined && result.isError !== true) store.invalidateScope(scope);
    return withCacheMeta(result, false);
  }

  private async fill(store: ServerStore, key: string, scope: string, invoke: () => Promise<Result> | Result): Promise<Result> {
    const epoch = store.epoch;
    const flight = (async () => invoke())();
    store.flights.set(key, flight);
    try {
      const result = await flight;
      // A mutation or a flush since the call started may have made this result stale: keep it out.
      if (result.isError !== true && store.epoch === epoch) store.set(key, { result, storedAt: Date.now(), bytes: jsonBytes(result), scope });
      return withCacheMeta(result, false);
    } finally {
      if (store.flights.get(key) === flight) store.flights.delete(key);
    }
  }

  private async join(
    flight: Promise<Result>,
    store: ServerStore,
    key: string,
    scope: string,
    invoke: () => Promise<Result> | Result,
    signal: AbortSignal | undefined,
  ): Promise<Result> {
    try {
      return withCacheMeta(await untilAborted(flight, signal), false);
    } catch (error) {
      // The other client cancelled its call; this one did not, so it calls on its own.
      if (error instanceof GatewayError && error.code === 'cancelled' && !signal?.aborted) return this.fill(store, key, scope, invoke);
      throw error;
    }
  }
}

function serverFingerprint(server: DownstreamServer): string {
  const { transport, command, args, env, cwd, url, headers, enabled, cache_config } = server;
  return JSON.stringify([transport, command, args, env, cwd, url, headers, enabled, cache_config]);
}

function jsonBytes(result: Result): number {
  return Buffer.byteLength(JSON.stringify(result), 'utf8');
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(cancelledWhileWaiting());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledWhileWaiting());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function cancelledWhileWaiting(): GatewayError {
  return new GatewayError('cancelled', 'the call was cancelled while it waited for an identical call in flight');
}
