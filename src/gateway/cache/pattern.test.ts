import { describe, expect, it } from 'vitest';
import { CACHE_CONFIG_DEFAULTS } from '../config/index.js';
import { compilePatterns } from './pattern.js';
import { CachePolicy } from './policy.js';

describe('cache patterns', () => {
  const cacheable = compilePatterns(CACHE_CONFIG_DEFAULTS.cacheable_patterns);

  it('test the name and every suffix after an "_"', () => {
    expect(cacheable.matches('get_task')).toBe(true);
    expect(cacheable.matches('clickup_get_task')).toBe(true);
    expect(cacheable.matches('acme_jira_list_issues')).toBe(true);
    expect(cacheable.matches('forget_task')).toBe(false); // "get" inside a word is not a suffix after "_"
    expect(cacheable.matches('target')).toBe(false);
    expect(cacheable.matches('compute')).toBe(false);
  });

  it('let a bare word match its "<word>_*" pattern, as a suffix too', () => {
    expect(cacheable.matches('search')).toBe(true);
    expect(cacheable.matches('find')).toBe(true);
    expect(cacheable.matches('github_search')).toBe(true);
    expect(cacheable.matches('searches')).toBe(false);
  });

  it('take "*" anywhere, literal otherwise, case-sensitive', () => {
    const custom = compilePatterns(['*_by_id', 'a.b', 'Stat*']);
    expect(custom.matches('user_by_id')).toBe(true);
    expect(custom.matches('x_user_by_id')).toBe(true);
    expect(custom.matches('a.b')).toBe(true);
    expect(custom.matches('axb')).toBe(false);
    expect(custom.matches('Status')).toBe(true);
    expect(custom.matches('status')).toBe(false);
    expect(compilePatterns([]).matches('get_x')).toBe(false);
  });
});

describe('cache policy', () => {
  it('cacheable: enabled and (readOnlyHint or a cacheable pattern) and no mutation pattern', () => {
    const policy = new CachePolicy(undefined);
    expect(policy.isCacheable('get_item', undefined)).toBe(true);
    expect(policy.isCacheable('lookup', true)).toBe(true);
    expect(policy.isCacheable('lookup', false)).toBe(false);
    expect(policy.isCacheable('compute', undefined)).toBe(false);
    expect(policy.isCacheable('readonly_delete_thing', true)).toBe(false);
    expect(policy.isCacheable('get_and_create_item', undefined)).toBe(false); // create_item is a suffix
    expect(new CachePolicy({ enabled: false }).isCacheable('get_item', true)).toBe(false);
    expect(new CachePolicy({ cacheable_patterns: ['lookup*'], mutation_patterns: [] }).isCacheable('lookup_plain', undefined)).toBe(true);
  });

  it('fills in the defaults: TTL 1800 s (0 never expires, negative means 1800), 1000 entries, 16 MiB', () => {
    expect(new CachePolicy(undefined).bounds).toEqual({ maxEntries: 1000, maxBytes: 16 * 1024 * 1024, ttlMs: 1_800_000 });
    expect(new CachePolicy({ read_ttl_sec: 0 }).bounds.ttlMs).toBe(0);
    expect(new CachePolicy({ read_ttl_sec: -5 }).bounds.ttlMs).toBe(1_800_000);
    expect(new CachePolicy({ read_ttl_sec: 7, max_entries: 3, max_bytes: 2048 }).bounds).toEqual({ maxEntries: 3, maxBytes: 2048, ttlMs: 7000 });
  });
});
