import type { AuthScope, DownstreamServer } from '../config/index.js';
import { layerStats, type CacheStatsSnapshot } from './stats.js';
import { ToolCallCache } from './tool-call-cache.js';

/** The layers `POST /cache/flush` takes. */
export const CACHE_LAYERS = ['tool_call', 'route', 'all'] as const;
export type CacheLayer = (typeof CACHE_LAYERS)[number];

/** The router's decision cache, as routing's `Router` offers it. */
export interface RouteCache {
  cacheStats(): { hits: number; misses: number; evictions: number; entries: number };
  flush(): void;
}

/** The compiled config as the cache reads it (the calls module's `RuntimeConfig` has this shape). */
export interface CacheConfigView {
  readonly router: RouteCache;
  readonly state: { readonly downstreams: readonly DownstreamServer[]; readonly auth_scopes: readonly AuthScope[] };
}

/** Where the compiled config comes from (the calls module's `RuntimeConfigHolder` has this shape). */
export interface CacheConfigSource {
  readonly current: CacheConfigView;
  on(event: 'change', listener: (next: CacheConfigView, previous: CacheConfigView) => void): unknown;
}

/**
 * Both cache layers behind one face (`cacheStats()`, `flush()`): the tool-call result cache (configured from every config
 * change) and the route-resolution cache's counters. Every config change builds a new router, so
 * the route cache starts empty after any write (route, server, workspace, auth scope, settings,
 * discovery); its hits, misses and evictions are summed over the routers retired so far, so the
 * counters run from start as the tool-call layer's do.
 */
export class Caches {
  readonly toolCalls = new ToolCallCache();
  private retired = { hits: 0, misses: 0, evictions: 0 };

  constructor(private readonly source: CacheConfigSource) {
    const { state } = source.current;
    this.toolCalls.configure(state.downstreams, state.auth_scopes);
    source.on('change', (next, previous) => {
      this.toolCalls.configure(next.state.downstreams, next.state.auth_scopes);
      const old = previous.router.cacheStats();
      this.retired = { hits: this.retired.hits + old.hits, misses: this.retired.misses + old.misses, evictions: this.retired.evictions + old.evictions };
    });
  }

  /** `GET /cache/stats` and the dashboard's `cache_stats` (issue 17 contract: `cacheStats()`): counters since start; entries and bytes now. */
  cacheStats(): CacheStatsSnapshot {
    const route = this.source.current.router.cacheStats();
    return {
      tool_call: layerStats(this.toolCalls.counts()),
      route_resolution: layerStats({
        hits: this.retired.hits + route.hits,
        misses: this.retired.misses + route.misses,
        evictions: this.retired.evictions + route.evictions,
        entries: route.entries,
      }),
    };
  }

  /**
   * `POST /cache/flush`: `tool_call` (one server's results with `serverId`, else all), `route`, or
   * `all` (both layers, every server). Counters keep running.
   */
  flush(layer: CacheLayer, serverId?: string): void {
    if (layer === 'route' || layer === 'all') this.source.current.router.flush();
    if (layer === 'all') this.toolCalls.flush();
    else if (layer === 'tool_call') this.toolCalls.flush(serverId);
  }
}
