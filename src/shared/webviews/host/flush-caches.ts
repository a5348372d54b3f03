import { describeFlush } from '../cache-flush.js';
import type { FlushParams } from '../dashboard-protocol.js';
import type { ViewsClient } from './client-source.js';

/**
 * `POST /cache/flush` and what it removed, in words: `GET /cache/stats` is read before and after
 * (the flush itself answers only `{"status":"flushed"}`). Shared by the Dashboard view's handler and
 * the `MCPlexer: Flush Caches` command.
 * @returns the sentence and the counters after the flush
 * @throws ApiError from the gateway (404 for an unknown `server_id`, 400 for a bad layer)
 */
export async function flushCaches(client: ViewsClient, params: FlushParams) {
  const { layer, server_id } = params;
  const narrowed = layer === 'tool_call' && server_id !== undefined;
  // The name for the sentence; an unknown server fails here, before anything is flushed.
  const server = narrowed ? await client.getDownstream(server_id) : undefined;
  const before = await client.cacheStats();
  await client.flushCache({ layer, ...(narrowed ? { server_id } : {}) });
  const after = await client.cacheStats();
  return { message: describeFlush(layer, before, after, server?.name), cache_stats: after };
}
