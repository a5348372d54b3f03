/**
 * cache: the tool-call result cache (per-server `cache_config` compiled once per config change,
 * keys over canonical JSON, single-flight, LRU by entries and bytes, TTL, invalidation by a
 * successful mutation, `_meta.cache`) and the counters of both layers (the route-resolution
 * cache lives in routing; its stats are summed here). README.md holds the decisions.
 */
export { Caches, CACHE_LAYERS, type CacheLayer, type CacheConfigSource, type CacheConfigView, type RouteCache } from './caches.js';
export { ToolCallCache, type CacheCall, type CacheOutcome } from './tool-call-cache.js';
export { layerStats, type CacheLayerStats, type CacheStatsSnapshot } from './stats.js';
export { canonicalJson, argumentsKey } from './key.js';
export { compilePatterns, type NamePatterns } from './pattern.js';
export { CachePolicy } from './policy.js';
export { withCacheMeta } from './meta.js';
