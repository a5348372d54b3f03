import { describe, expect, it } from 'vitest';
import { LruCache } from './lru.js';

describe('LRU cache', () => {
  it('evicts the least recently used entry and counts hits, misses and evictions', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3); // evicts b
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
    cache.set('c', 4); // an update, not an eviction
    expect(cache.get('c')).toBe(4);
    expect(cache.stats()).toEqual({ hits: 3, misses: 1, evictions: 1, entries: 2, capacity: 2 });
    cache.clear();
    expect(cache.stats()).toMatchObject({ entries: 0, hits: 3 });
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
    expect(() => new LruCache(1.5)).toThrow(RangeError);
  });
});
