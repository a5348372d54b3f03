import { describe, expect, it } from 'vitest';
import { ServerStore, type ToolCallCounters } from './store.js';

const counters = (): ToolCallCounters => ({ hits: 0, misses: 0, evictions: 0, entries: 0, bytes: 0 });
const entry = (bytes: number, scope = '', storedAt = 0) => ({ result: { bytes }, storedAt, bytes, scope });

describe('a server store', () => {
  it('evicts the least recently used beyond max entries', () => {
    const c = counters();
    const store = new ServerStore({ maxEntries: 2, maxBytes: 1000, ttlMs: 0 }, c);
    store.set('a', entry(10));
    store.set('b', entry(20));
    expect(store.get('a', 0)).toBeDefined(); // a is now the most recent
    store.set('c', entry(30)); // evicts b
    expect(store.get('b', 0)).toBeUndefined();
    expect(c).toEqual({ hits: 0, misses: 0, evictions: 1, entries: 2, bytes: 40 });
  });

  it('evicts by bytes, and never stores one entry larger than the byte bound', () => {
    const c = counters();
    const store = new ServerStore({ maxEntries: 100, maxBytes: 100, ttlMs: 0 }, c);
    store.set('a', entry(40));
    store.set('b', entry(40));
    store.set('c', entry(40)); // 120 > 100: a goes
    expect(store.get('a', 0)).toBeUndefined();
    expect(c).toMatchObject({ evictions: 1, entries: 2, bytes: 80 });
    store.set('huge', entry(101));
    expect(store.get('huge', 0)).toBeUndefined();
    expect(c).toMatchObject({ evictions: 1, entries: 2, bytes: 80 });
    store.set('b', entry(10)); // a replacement is not an eviction
    expect(c).toMatchObject({ evictions: 1, entries: 2, bytes: 50 });
  });

  it('drops an expired entry on read (counted as an eviction); ttl 0 never expires', () => {
    const c = counters();
    const store = new ServerStore({ maxEntries: 10, maxBytes: 1000, ttlMs: 1000 }, c);
    store.set('a', entry(5, '', 0));
    expect(store.get('a', 999)).toBeDefined();
    expect(store.get('a', 1000)).toBeUndefined();
    expect(c).toMatchObject({ evictions: 1, entries: 0, bytes: 0 });
    const forever = new ServerStore({ maxEntries: 10, maxBytes: 1000, ttlMs: 0 }, c);
    forever.set('a', entry(5, '', 0));
    expect(forever.get('a', 1e12)).toBeDefined();
  });

  it('invalidates one scope only, and moves the epoch on every invalidation and clear', () => {
    const c = counters();
    const store = new ServerStore({ maxEntries: 10, maxBytes: 1000, ttlMs: 0 }, c);
    store.set('s1-a', entry(1, 's1'));
    store.set('s1-b', entry(2, 's1'));
    store.set('s2-a', entry(4, 's2'));
    store.invalidateScope('s1');
    expect(store.get('s1-a', 0)).toBeUndefined();
    expect(store.get('s2-a', 0)).toBeDefined();
    expect(c).toMatchObject({ entries: 1, bytes: 4, evictions: 0 });
    expect(store.epoch).toBe(1);
    store.invalidateScope('unknown');
    expect(store.epoch).toBe(2);
    store.clear();
    expect(c).toMatchObject({ entries: 0, bytes: 0 });
    expect(store.epoch).toBe(3);
  });
});
