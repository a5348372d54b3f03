/** One cache layer's numbers, as `GET /cache/stats` and the dashboard's `cache_stats` show them. */
export interface CacheLayerStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  /** hits / (hits + misses), 0–1; 0 before the first lookup. */
  hit_rate: number;
  /** Bytes held (UTF-8 JSON of the cached results); 0 for the route layer, whose decisions are shared references, not copies. */
  bytes: number;
}

/** `GET /cache/stats`. */
export interface CacheStatsSnapshot {
  tool_call: CacheLayerStats;
  route_resolution: CacheLayerStats;
}

export function layerStats(counts: { hits: number; misses: number; evictions: number; entries: number; bytes?: number }): CacheLayerStats {
  const lookups = counts.hits + counts.misses;
  return {
    hits: counts.hits,
    misses: counts.misses,
    evictions: counts.evictions,
    entries: counts.entries,
    hit_rate: lookups === 0 ? 0 : counts.hits / lookups,
    bytes: counts.bytes ?? 0,
  };
}
