/**
 * What a cache flush removed, in words, for the Dashboard view and the `MCPlexer: Flush Caches`
 * command alike. `POST /cache/flush` answers only `{"status":"flushed"}`, so the caller reads
 * `GET /cache/stats` before and after and this compares them.
 */

/** One layer's counters as `GET /cache/stats` gives them (only what is compared here). */
export interface LayerCounts {
  entries: number;
  bytes: number;
}

export interface CacheCounts {
  tool_call: LayerCounts;
  route_resolution: LayerCounts;
}

/** `POST /cache/flush`'s `layer` (`all` when absent). */
export type FlushLayer = 'all' | 'tool_call' | 'route';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function removed(before: LayerCounts, after: LayerCounts): LayerCounts {
  // Calls made meanwhile may add entries: never report a negative removal.
  return { entries: Math.max(0, before.entries - after.entries), bytes: Math.max(0, before.bytes - after.bytes) };
}

function toolResults(gone: LayerCounts): string {
  return gone.entries === 0 ? 'no tool result' : `${plural(gone.entries, 'cached tool result', 'cached tool results')} (${size(gone.bytes)})`;
}

function routes(gone: LayerCounts): string {
  return gone.entries === 0 ? 'no route resolution' : plural(gone.entries, 'route resolution', 'route resolutions');
}

/**
 * One sentence saying what the flush removed.
 * @param server the server's name when a `tool_call` flush was narrowed to it (`server_id`; the
 *   gateway narrows only that layer, so `all` ignores it)
 */
export function describeFlush(layer: FlushLayer, before: CacheCounts, after: CacheCounts, server?: string): string {
  const tools = removed(before.tool_call, after.tool_call);
  const route = removed(before.route_resolution, after.route_resolution);
  if (layer === 'route') return `Flushed the route cache: ${routes(route)} removed.`;
  if (layer === 'tool_call') {
    const what = server === undefined ? 'the tool-result cache' : `the cached tool results of “${server}”`;
    return `Flushed ${what}: ${toolResults(tools)} removed.`;
  }
  return `Flushed every cache: ${toolResults(tools)} and ${routes(route)} removed.`;
}
