type Result = Record<string, unknown>;

/** One cached result. */
export interface CacheEntry {
  /** The result as the downstream returned it (without `_meta.cache`); never modified. */
  readonly result: Result;
  /** `Date.now()` when it was stored: ages and expiry are wall-clock ms. */
  readonly storedAt: number;
  /** UTF-8 bytes of its JSON. */
  readonly bytes: number;
  readonly scope: string;
}

/** Counters shared by every server's store: what `GET /cache/stats` reports for `tool_call`. */
export interface ToolCallCounters {
  hits: number;
  misses: number;
  /** Entries dropped to keep a store within its bounds, or found expired. */
  evictions: number;
  entries: number;
  bytes: number;
}

/** A server's bounds, from its `cache_config` (defaults filled in). */
export interface StoreBounds {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** 0: never expires. */
  readonly ttlMs: number;
}

/**
 * The cached results of one downstream server: least recently used first (a `Map`'s insertion
 * order; a hit moves its entry to the end), bounded by entries and by bytes, with expiry checked
 * on read. An index per auth scope makes a mutation's invalidation cost the entries it drops,
 * not the store's size. `epoch` changes on every invalidation and flush, so a call that started
 * before one does not store its (possibly stale) result after it.
 */
export class ServerStore {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly scopes = new Map<string, Set<string>>();
  /** Calls in flight by key: identical concurrent misses share one (single-flight). */
  readonly flights = new Map<string, Promise<Result>>();
  epoch = 0;
  private bytes = 0;

  constructor(
    readonly bounds: StoreBounds,
    private readonly counters: ToolCallCounters,
  ) {}

  /** The live entry (now the most recent), or undefined; an expired one is dropped. Counts nothing else. */
  get(key: string, now: number): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.bounds.ttlMs > 0 && now - entry.storedAt >= this.bounds.ttlMs) {
      this.delete(key, entry);
      this.counters.evictions += 1;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores (or replaces) an entry, then evicts the least recently used until within bounds. An entry over `maxBytes` alone is not stored. */
  set(key: string, entry: CacheEntry): void {
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    if (entry.bytes > this.bounds.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    this.counters.entries += 1;
    this.counters.bytes += entry.bytes;
    let keys = this.scopes.get(entry.scope);
    if (!keys) this.scopes.set(entry.scope, (keys = new Set()));
    keys.add(key);
    while (this.entries.size > this.bounds.maxEntries || this.bytes > this.bounds.maxBytes) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, CacheEntry];
      this.delete(oldestKey, oldest);
      this.counters.evictions += 1;
    }
  }

  /** Drops every entry of one auth scope (a successful mutation); O(1) when it has none. */
  invalidateScope(scope: string): void {
    this.epoch += 1;
    const keys = this.scopes.get(scope);
    if (!keys) return;
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry) this.delete(key, entry);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.epoch += 1;
    for (const [key, entry] of this.entries) this.delete(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string, entry: CacheEntry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    this.counters.entries -= 1;
    this.counters.bytes -= entry.bytes;
    const keys = this.scopes.get(entry.scope);
    keys?.delete(key);
    if (keys?.size === 0) this.scopes.delete(entry.scope);
  }
}
