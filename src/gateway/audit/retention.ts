import type { Logger } from '../log.js';
import type { AuditStore } from './store.js';

export interface RetentionSettings {
  /** Records older than this many days are deleted. */
  audit_retention_days: number;
  /** The rows may occupy at most this many MB (MiB, 2^20 bytes); the oldest go first. */
  audit_max_mb: number;
}

/** How often the trail is pruned (ms). */
export const PRUNE_EVERY_MS = 10 * 60_000;
/** Rows per DELETE: the engine is synchronous, so one statement must not hold the event loop long. */
const DELETE_BATCH = 5_000;
/** Pruning by size goes down to this share of the bound, so it does not run again at the next row. */
const SIZE_TARGET = 0.9;

/**
 * Applies the retention settings once: deletes records past `audit_retention_days`, then, while
 * the rows occupy more than `audit_max_mb`, the oldest (freed pages are reused by later writes,
 * so the file stops growing near the bound). Yields to the event loop between batches.
 *
 * @returns how many records were deleted
 */
export async function pruneAudit(store: AuditStore, settings: RetentionSettings, now = Date.now()): Promise<number> {
  let deleted = 0;
  const cutoff = new Date(now - settings.audit_retention_days * 86_400_000).toISOString();
  for (;;) {
    const n = await store.deleteBefore(cutoff, DELETE_BATCH);
    deleted += n;
    if (n < DELETE_BATCH) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const maxBytes = settings.audit_max_mb * 1024 * 1024;
  for (let round = 0; round < 1_000; round++) {
    const used = await store.usedBytes();
    if (used <= maxBytes) break;
    const count = await store.count();
    if (count === 0) break;
    const excess = Math.ceil(count * (1 - (SIZE_TARGET * maxBytes) / used));
    const n = await store.deleteOldest(Math.min(DELETE_BATCH, Math.max(1, excess)));
    deleted += n;
    if (n === 0) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await store.optimize();
  return deleted;
}

/** Prunes now (soon after start) and every `PRUNE_EVERY_MS`; the timers never keep the process alive. */
export function scheduleRetention(prune: () => Promise<number>, logger: Logger | undefined, everyMs = PRUNE_EVERY_MS): () => void {
  const run = () =>
    void prune().then(
      (deleted) => deleted > 0 && logger?.info('audit retention pruned records', { deleted }),
      (error) => logger?.error('audit retention failed', { reason: error instanceof Error ? error.message : String(error) }),
    );
  const first = setTimeout(run, 1_000);
  const every = setInterval(run, everyMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
