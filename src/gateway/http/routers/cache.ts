import { Router } from 'express';
import { z } from 'zod';
import { CACHE_LAYERS, type CacheLayer, type CacheStatsSnapshot } from '../../cache/index.js';
import { parseBody, parseQuery } from '../../config/index.js';
import { GatewayError } from '../../errors.js';
import type { CacheStatsAnswer } from '../../../shared/schemas/dashboard.js';

/** What the cache routes act on (the cache module's `Caches`). */
export interface CacheControl {
  cacheStats(): CacheStatsSnapshot;
  flush(layer: CacheLayer, serverId?: string): void;
}

export const cacheFlushSchema = z.strictObject({
  layer: z.enum(CACHE_LAYERS).default('all'),
  server_id: z.string().min(1, 'must not be empty').optional(),
});

const INVALID_LAYER = 'invalid layer: use tool_call, route, or all';

/**
 * GET /cache/stats → `{"tool_call": S, "route_resolution": S}`, S = `{hits, misses, evictions,
 * entries, hit_rate, bytes}`; POST /cache/flush `{layer?, server_id?}` (body optional; `layer`
 * `tool_call|route|all`, default `all`; `server_id`, an id, name or namespace, narrows
 * `tool_call`) → `{"status":"flushed"}` (ORIGINAL.md "Caches").
 *
 * @param serverIdOf the server id a ref names; throws `not_found`
 * @throws GatewayError `validation_failed` (400: "invalid layer: use tool_call, route, or all", a
 *   body that is not an object, an empty `server_id`, an unknown field, any query parameter on `GET /stats`), `not_found` (404: `server_id`
 *   names no server)
 */
export function cacheRouter(caches: CacheControl, serverIdOf: (ref: string) => string): Router {
  const router = Router();
  router.get('/stats', (req, res) => {
    parseQuery({}, req.query);
    const stats: CacheStatsAnswer = caches.cacheStats();
    res.json(stats);
  });
  router.post('/flush', (req, res) => {
    const body: unknown = req.body ?? {};
    const layer = (body as { layer?: unknown } | null)?.layer;
    if (typeof body === 'object' && body !== null && layer !== undefined && !CACHE_LAYERS.includes(layer as CacheLayer)) {
      throw new GatewayError('validation_failed', INVALID_LAYER, { details: [{ path: 'layer', message: 'must be tool_call, route or all' }] });
    }
    const input = parseBody(cacheFlushSchema, body);
    caches.flush(input.layer, input.server_id === undefined ? undefined : serverIdOf(input.server_id));
    res.json({ status: 'flushed' });
  });
  return router;
}
