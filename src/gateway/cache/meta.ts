type Result = Record<string, unknown>;

const NOT_CACHED = Object.freeze({ cached: false });

/**
 * The result as the client gets it: `_meta.cache = {"cached", "age_seconds"?}` merged into the
 * result's own `_meta` (ORIGINAL.md "Caches"). A shallow copy: the result's content is shared, never
 * copied or serialised, and the stored result is never modified.
 *
 * @param ageSeconds whole seconds since the entry was stored (hits only)
 */
export function withCacheMeta(result: Result, cached: boolean, ageSeconds?: number): Result {
  const cache = cached ? { cached: true, age_seconds: ageSeconds ?? 0 } : NOT_CACHED;
  const meta = result._meta;
  const merged = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? { ...(meta as Result), cache } : { cache };
  return { ...result, _meta: merged };
}
