import { CACHE_CONFIG_DEFAULTS, type CacheConfig } from '../config/index.js';
import { compilePatterns, type NamePatterns } from './pattern.js';
import type { StoreBounds } from './store.js';

/** Names classified per policy before the memo starts over (names are the client's to choose). */
const MEMO_LIMIT = 10_000;

/**
 * One server's `cache_config`, defaults filled in and patterns compiled: built once per config
 * change, never per call. Whether a tool is cacheable is then remembered per (name, read-only), so
 * a call pays one map read for it.
 */
export class CachePolicy {
  readonly enabled: boolean;
  readonly bounds: StoreBounds;
  private readonly cacheable: NamePatterns;
  private readonly mutation: NamePatterns;
  // Per read-only hint (the hint may differ per call only for a tool discovery did not list).
  private readonly memoRead = new Map<string, boolean>();
  private readonly memoOther = new Map<string, boolean>();

  constructor(config: CacheConfig | undefined) {
    const d = CACHE_CONFIG_DEFAULTS;
    this.enabled = config?.enabled ?? d.enabled;
    const ttl = config?.read_ttl_sec ?? d.read_ttl_sec;
    this.bounds = {
      maxEntries: config?.max_entries ?? d.max_entries,
      maxBytes: config?.max_bytes ?? d.max_bytes,
      ttlMs: (ttl < 0 ? d.read_ttl_sec : ttl) * 1000,
    };
    this.cacheable = compilePatterns(config?.cacheable_patterns ?? d.cacheable_patterns);
    this.mutation = compilePatterns(config?.mutation_patterns ?? d.mutation_patterns);
  }

  /**
   * Cacheable: `enabled`, and (`readOnlyHint: true` or a cacheable pattern), and no mutation
   * pattern (ORIGINAL.md "Caches"). Anything else is a mutation: when it succeeds it invalidates its
   * server and auth scope.
   *
   * @param name the tool's un-namespaced name (as the downstream knows it)
   * @param readOnly the discovered `readOnlyHint` (undefined for a tool discovery did not list)
   */
  isCacheable(name: string, readOnly: boolean | undefined): boolean {
    const memo = readOnly === true ? this.memoRead : this.memoOther;
    const known = memo.get(name);
    if (known !== undefined) return known;
    const cacheable = this.enabled && (readOnly === true || this.cacheable.matches(name)) && !this.mutation.matches(name);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(name, cacheable);
    return cacheable;
  }
}
