/**
 * Log-scale latency histograms: a latency lands in one of `BINS` bins, each `2^(1/4)` (≈ 1.19×)
 * wider than the one before, from 1 µs to about an hour; a quantile is read by walking the bins,
 * never by sorting. The answer is the upper bound of the bin that holds the quantile, so it is at
 * most 19 % above the true value and never below it.
 */

/** Bins per histogram: bin 0 holds ≤ 1 µs, bin 127 everything from ~55 min up. */
export const BINS = 128;
const FLOOR_MS = 0.001;
const STEPS_PER_DOUBLING = 4;

/** The bin a latency (ms) falls in. */
export function binOf(latencyMs: number): number {
  if (!(latencyMs > FLOOR_MS)) return 0;
  const bin = Math.ceil(Math.log2(latencyMs / FLOOR_MS) * STEPS_PER_DOUBLING);
  return bin >= BINS ? BINS - 1 : bin;
}

/** The largest latency (ms) bin `bin` holds. */
export function binUpperMs(bin: number): number {
  return FLOOR_MS * 2 ** (bin / STEPS_PER_DOUBLING);
}

/**
 * The `q` quantile (0–1) of the latencies counted in `counts[offset … offset + BINS)`, in ms
 * (µs precision); 0 when nothing was counted. Nearest-rank: the smallest bin whose cumulative
 * count reaches `ceil(q · n)`.
 */
export function quantileMs(counts: ArrayLike<number>, q: number, offset = 0): number {
  let n = 0;
  for (let i = 0; i < BINS; i++) n += counts[offset + i]!;
  if (n === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (let i = 0; i < BINS; i++) {
    seen += counts[offset + i]!;
    if (seen >= rank) return roundMs(binUpperMs(i));
  }
  return roundMs(binUpperMs(BINS - 1));
}

/** ms rounded to the µs, as latencies are reported everywhere. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Sparse form for metrics.json: `[bin, count]` pairs of the non-empty bins. */
export function sparseBins(counts: ArrayLike<number>, offset = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < BINS; i++) if (counts[offset + i]! > 0) out.push([i, counts[offset + i]!]);
  return out;
}

/** Adds sparse pairs read from metrics.json into `counts`, skipping pairs that are not two valid numbers. */
export function addSparse(counts: { [i: number]: number }, pairs: unknown, offset = 0): void {
  if (!Array.isArray(pairs)) return;
  for (const pair of pairs) {
    if (!Array.isArray(pair)) continue;
    const [bin, count] = pair as [unknown, unknown];
    if (Number.isInteger(bin) && (bin as number) >= 0 && (bin as number) < BINS && isCount(count)) counts[offset + (bin as number)] += count;
  }
}

/** A non-negative finite integer (what every counter in metrics.json must be). */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
