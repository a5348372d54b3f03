/**
 * How the Dashboard writes numbers: latencies, rates, sizes, counts and times. Pure, so the model
 * and its tests need no DOM.
 */

/** A latency in ms: `0.42 ms`, `8.5 ms`, `120 ms`, `1.2 s`, `2 min`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A percentage given as 0–100 (the gateway's `error_rate`): `0 %`, `2.5 %`, `100 %`. */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent) || percent <= 0) return '0 %';
  const rounded = percent < 10 ? Math.round(percent * 10) / 10 : Math.round(percent);
  return `${rounded} %`;
}

/** A fraction 0–1 (a cache's `hit_rate`) as a percentage. */
export function formatFraction(fraction: number): string {
  return formatPercent(fraction * 100);
}

/** Bytes: `0 B`, `512 B`, `1.5 KB`, `12 MB` (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** A count with thousands separators that do not depend on the locale: `12 345`. */
export function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/** How long ago `iso` was, seen at `now` (ms since the epoch): `just now`, `5 min ago`, `2 h ago`, `3 d ago`. */
export function formatAgo(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}
