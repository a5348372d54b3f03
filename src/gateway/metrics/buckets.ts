import { addSparse, BINS, isCount, quantileMs, roundMs, sparseBins } from './histogram.js';
import type { RangeSpec } from './types.js';

/** The counters of one bucket, in this column order (metrics.json stores them so). */
const enum Col {
  Total,
  Success,
  Errors,
  Blocked,
  Sessions,
  Servers,
  LatencyCount,
}
const COLS = 7;

/** One point of `timeseries` (the original's fields, plus `success` and `blocked`). */
export interface TimeseriesPoint {
  /** RFC 3339, the bucket's start. */
  bucket: string;
  sessions: number;
  servers: number;
  total: number;
  /** Calls with status `error` (blocked calls are counted in `blocked`, as the original counts them apart). */
  errors: number;
  avg_latency_ms: number;
  success: number;
  blocked: number;
}

/** What a window of buckets adds up to: the dashboard's `stats`. */
export interface WindowStats {
  total_requests: number;
  success_count: number;
  error_count: number;
  blocked_count: number;
  avg_latency_ms: number;
  p95_latency_ms: number;
}

/** A bucket as metrics.json keeps it (only non-empty ones are written). */
export interface StoredBucket {
  epoch: number;
  counts: number[];
  latency_sum_ms: number;
  histogram: Array<[number, number]>;
}

/**
 * The time buckets of one range: a ring of `points` buckets of `bucketMs`, each holding call
 * counts by status, distinct sessions and servers, a latency sum and a latency histogram, in
 * typed arrays allocated once. A bucket is identified by its epoch (`floor(t / bucketMs)`); a
 * slot whose epoch is older than the one being written is zeroed and reused, so nothing is ever
 * scanned to expire data, and the timeseries of a window is read straight from the ring.
 */
export class RangeBuckets {
  private readonly epochs: Float64Array;
  private readonly counts: Float64Array;
  private readonly latencySum: Float64Array;
  private readonly histogram: Float64Array;

  constructor(readonly spec: RangeSpec) {
    this.epochs = new Float64Array(spec.points).fill(-1);
    this.counts = new Float64Array(spec.points * COLS);
    this.latencySum = new Float64Array(spec.points);
    this.histogram = new Float64Array(spec.points * BINS);
  }

  /** The bucket epoch of a time (ms since the epoch). */
  epochOf(atMs: number): number {
    return Math.floor(atMs / this.spec.bucketMs);
  }

  /**
   * Counts one call in the bucket of `epoch`. O(1), allocates nothing. A call older than the
   * ring (its slot already holds a later bucket) is left out of this range.
   * @param newSession / newServer: the call's session / server was not yet counted in this bucket
   */
  add(epoch: number, status: 'success' | 'error' | 'blocked', latencyMs: number, bin: number, newSession: boolean, newServer: boolean): void {
    const slot = this.slotFor(epoch);
    if (slot < 0) return;
    const base = slot * COLS;
    const counts = this.counts;
    counts[base + Col.Total]! += 1;
    if (status === 'success') counts[base + Col.Success]! += 1;
    else if (status === 'error') counts[base + Col.Errors]! += 1;
    else counts[base + Col.Blocked]! += 1;
    if (newSession) counts[base + Col.Sessions]! += 1;
    if (newServer) counts[base + Col.Servers]! += 1;
    counts[base + Col.LatencyCount]! += 1;
    this.latencySum[slot]! += latencyMs;
    this.histogram[slot * BINS + bin]! += 1;
  }

  /** The window ending with the bucket of `nowMs`: `points` buckets, zero-filled, oldest first. */
  timeseries(nowMs: number): TimeseriesPoint[] {
    const last = this.epochOf(nowMs);
    const out: TimeseriesPoint[] = new Array(this.spec.points);
    for (let i = 0; i < this.spec.points; i++) {
      const epoch = last - this.spec.points + 1 + i;
      const slot = this.live(epoch);
      const c = (col: Col) => (slot < 0 ? 0 : this.counts[slot * COLS + col]!);
      const latencyCount = c(Col.LatencyCount);
      out[i] = {
        bucket: new Date(epoch * this.spec.bucketMs).toISOString(),
        sessions: c(Col.Sessions),
        servers: c(Col.Servers),
        total: c(Col.Total),
        errors: c(Col.Errors),
        avg_latency_ms: latencyCount === 0 ? 0 : roundMs(this.latencySum[slot]! / latencyCount),
        success: c(Col.Success),
        blocked: c(Col.Blocked),
      };
    }
    return out;
  }

  /** The counts of the same window added up, with the p95 read from the summed histograms. */
  stats(nowMs: number): WindowStats {
    const last = this.epochOf(nowMs);
    const sums = new Float64Array(COLS);
    const histogram = new Float64Array(BINS);
    let latencySum = 0;
    for (let epoch = last - this.spec.points + 1; epoch <= last; epoch++) {
      const slot = this.live(epoch);
      if (slot < 0) continue;
      for (let col = 0; col < COLS; col++) sums[col]! += this.counts[slot * COLS + col]!;
      for (let bin = 0; bin < BINS; bin++) histogram[bin]! += this.histogram[slot * BINS + bin]!;
      latencySum += this.latencySum[slot]!;
    }
    const latencyCount = sums[Col.LatencyCount]!;
    return {
      total_requests: sums[Col.Total]!,
      success_count: sums[Col.Success]!,
      error_count: sums[Col.Errors]!,
      blocked_count: sums[Col.Blocked]!,
      avg_latency_ms: latencyCount === 0 ? 0 : roundMs(latencySum / latencyCount),
      p95_latency_ms: quantileMs(histogram, 0.95),
    };
  }

  /** The non-empty buckets, for metrics.json. */
  save(): StoredBucket[] {
    const out: StoredBucket[] = [];
    for (let slot = 0; slot < this.spec.points; slot++) {
      if (this.epochs[slot]! < 0 || this.counts[slot * COLS + Col.Total] === 0) continue;
      out.push({
        epoch: this.epochs[slot]!,
        counts: Array.from(this.counts.subarray(slot * COLS, slot * COLS + COLS)),
        latency_sum_ms: this.latencySum[slot]!,
        histogram: sparseBins(this.histogram, slot * BINS),
      });
    }
    return out;
  }

  /** Puts back buckets read from metrics.json; an entry that is not well formed is skipped. */
  load(stored: unknown): void {
    if (!Array.isArray(stored)) return;
    for (const entry of stored as Array<Partial<StoredBucket>>) {
      const { epoch, counts, latency_sum_ms: latencySum } = entry ?? {};
      if (!isCount(epoch) || !Array.isArray(counts) || counts.length !== COLS || !counts.every(isCount)) continue;
      if (typeof latencySum !== 'number' || !Number.isFinite(latencySum) || latencySum < 0) continue;
      const slot = this.slotFor(epoch);
      if (slot < 0) continue;
      for (let col = 0; col < COLS; col++) this.counts[slot * COLS + col]! += counts[col]!;
      this.latencySum[slot]! += latencySum;
      addSparse(this.histogram, entry.histogram, slot * BINS);
    }
  }

  /** The slot of `epoch` if it holds that bucket, else -1 (never written, or reused since). */
  private live(epoch: number): number {
    if (epoch < 0) return -1;
    const slot = epoch % this.spec.points;
    return this.epochs[slot] === epoch ? slot : -1;
  }

  /** The slot to write `epoch` in: zeroed first if it held an older bucket; -1 if it holds a later one. */
  private slotFor(epoch: number): number {
    const slot = epoch % this.spec.points;
    const held = this.epochs[slot]!;
    if (held === epoch) return slot;
    if (held > epoch) return -1;
    this.epochs[slot] = epoch;
    this.counts.fill(0, slot * COLS, slot * COLS + COLS);
    this.latencySum[slot] = 0;
    this.histogram.fill(0, slot * BINS, slot * BINS + BINS);
    return slot;
  }
}
