import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatCount, formatFraction, formatMs, formatPercent } from '../../../src/webview/dashboard/format.js';

describe('Dashboard number formats', () => {
  it.each([
    [0, '0 ms'],
    [-3, '0 ms'],
    [Number.NaN, '0 ms'],
    [0.4213, '0.42 ms'],
    [8.46, '8.5 ms'],
    [120.4, '120 ms'],
    [1234, '1.2 s'],
    [15_400, '15 s'],
    [125_000, '2 min'],
  ])('formatMs(%s) = %s', (ms, text) => expect(formatMs(ms)).toBe(text));

  it.each([
    [0, '0 %'],
    [2.54, '2.5 %'],
    [33.3333, '33 %'],
    [100, '100 %'],
  ])('formatPercent(%s) = %s', (p, text) => expect(formatPercent(p)).toBe(text));

  it('formatFraction reads a 0–1 fraction (cache hit_rate)', () => {
    expect(formatFraction(0.5)).toBe('50 %');
    expect(formatFraction(0)).toBe('0 %');
  });

  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KB'],
    [12 * 1024 * 1024, '12 MB'],
  ])('formatBytes(%s) = %s', (b, text) => expect(formatBytes(b)).toBe(text));

  it('formatCount groups thousands whatever the locale', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12345)).toBe('12\u202f345');
    expect(formatCount(1_000_000)).toBe('1\u202f000\u202f000');
  });

  it('formatAgo', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatAgo('2026-01-01T11:59:50Z', now)).toBe('just now');
    expect(formatAgo('2026-01-01T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2026-01-01T10:00:00Z', now)).toBe('2 h ago');
    expect(formatAgo('2025-12-29T12:00:00Z', now)).toBe('3 d ago');
    expect(formatAgo('not a time', now)).toBe('not a time');
  });
});
