/** Restart backoff between consecutive failed starts of one instance. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/**
 * Delay before the next start after `failures` consecutive failures: the first restart is
 * immediate, then base, 2·base, 4·base … capped at max (0, 0.5 s, 1 s, 2 s … 30 s by default).
 */
export function restartDelay(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (failures <= 1) return 0;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 2, 30));
}
