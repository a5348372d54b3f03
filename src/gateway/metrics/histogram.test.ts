import { describe, expect, it } from 'vitest';
import { binOf, binUpperMs, BINS, quantileMs } from './histogram.js';

const STEP = 2 ** 0.25;

describe('log-scale latency histogram', () => {
  it.each([0.0005, 0.001, 0.0011, 0.05, 0.2, 0.37, 1, 1.5, 12.3, 250, 4_999, 120_000, 3_000_000])(
    '%f ms lands in a bin whose upper bound is at most one step above it',
    (ms) => {
      const bin = binOf(ms);
      expect(binUpperMs(bin)).toBeGreaterThanOrEqual(ms * (1 - 1e-12));
      if (ms > 0.001) expect(binUpperMs(bin)).toBeLessThan(ms * STEP * (1 + 1e-12));
      if (bin > 0) expect(binUpperMs(bin - 1)).toBeLessThan(ms);
    },
  );

  it('keeps non-numbers, negatives and huge values inside the bins', () => {
    for (const ms of [NaN, -1, 0, Infinity, 1e12]) {
      const bin = binOf(ms);
      expect(bin).toBeGreaterThanOrEqual(0);
      expect(bin).toBeLessThan(BINS);
    }
  });

  it.each([
    [[5], 0.95],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95],
    [[0.2, 0.21, 0.22, 0.3, 0.31, 9, 0.25, 0.26, 0.27, 0.28, 0.29, 0.24, 0.23, 0.22, 0.21, 0.2, 0.2, 0.2, 0.2, 0.2], 0.95],
    [[3, 3, 3, 3, 100], 0.5],
  ])('a quantile of %j is the nearest-rank value, at most one step above', (values, q) => {
    const counts = new Float64Array(BINS);
    for (const v of values) counts[binOf(v)]! += 1;
    const truth = [...values].sort((a, b) => a - b)[Math.ceil(q * values.length) - 1]!;
    const answer = quantileMs(counts, q);
    expect(answer).toBeGreaterThanOrEqual(truth - 0.001);
    expect(answer).toBeLessThanOrEqual(truth * STEP + 0.001);
  });

  it('an empty histogram has quantile 0', () => {
    expect(quantileMs(new Float64Array(BINS), 0.95)).toBe(0);
  });
});
