import { describe, expect, it } from 'vitest';
import { isoNow, isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('writes what toISOString writes, for times in order, out of order, across seconds, days and years', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = [
      ...Array.from({ length: 3000 }, (_, i) => start + i * 0.7), // many per ms and per second, across a year's end
      start - 86_400_000, // back a day: the cached second must not be reused
      0,
      999,
      1000,
      Date.UTC(1999, 0, 1, 0, 0, 0, 5),
      1.9, // a fraction is dropped, not rounded
      start + 0.999,
    ];
    for (const t of times) expect(isoTime(t)).toBe(new Date(Math.floor(t)).toISOString());
  });

  it('lets Date write the years it writes with six digits', () => {
    for (const t of [-1, -62_198_755_200_000, 253_402_300_800_000, 253_402_300_799_999]) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('isoNow is the current time', () => {
    const before = Date.now();
    const now = Date.parse(isoNow());
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
