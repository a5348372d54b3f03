/** Counters of a bounded cache. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly entries: number;
  readonly capacity: number;
}

/**
 * A least-recently-used map with a fixed capacity, on a `Map`'s insertion order: a hit moves
 * the entry to the end, an insert beyond capacity evicts the first (oldest) entry.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be a positive integer, got ${capacity}`);
  }

  /** The cached value (now the most recent), or undefined; counts a hit or a miss. */
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    if (this.entries.has(key)) this.entries.delete(key);
    else if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        this.entries.delete(oldest.value);
        this.evictions += 1;
      }
    }
    this.entries.set(key, value);
  }

  /** Drops every entry; the counters keep running. */
  clear(): void {
    this.entries.clear();
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, evictions: this.evictions, entries: this.entries.size, capacity: this.capacity };
  }
}
