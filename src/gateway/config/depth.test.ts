import { describe, expect, it } from 'vitest';
import { exceedsDepth, findDepthViolation } from './depth.js';

/** `levels` arrays nested in each other, built as JSON text (JSON.stringify of such a value would overflow). */
const nestedArrays = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('findDepthViolation', () => {
  it.each([
    ['a scalar', 1, 0, undefined],
    ['null', null, 0, undefined],
    ['{} at a limit of 1', {}, 1, undefined],
    ['{"a": []} at a limit of 1', { a: [] }, 1, ['a']],
    ['{"a": {"b": 1}} at a limit of 2', { a: { b: 1 } }, 2, undefined],
    ['an array inside an array inside an object, limit 2', { x: 1, y: [0, [1]] }, 2, ['y', 1]],
    ['the first too-deep branch in document order', { a: [[1]], b: [[2]] }, 2, ['a', 0]],
  ])('%s', (_label, value, maxDepth, expected) => {
    expect(findDepthViolation(value, maxDepth)).toEqual(expected);
  });

  it('walks 100,000 nested arrays without overflowing the stack, and names the path at the limit', () => {
    const path = findDepthViolation(nestedArrays(100_000), 64);
    expect(path).toEqual(Array(64).fill(0));
  });

  it('walks 100,000 nested objects too', () => {
    const value = JSON.parse(`${'{"k":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    expect(findDepthViolation(value, 64)).toEqual(Array(64).fill('k'));
  });

  it('accepts a value exactly at the limit and refuses one level more', () => {
    expect(findDepthViolation(nestedArrays(64), 64)).toBeUndefined();
    expect(findDepthViolation(nestedArrays(65), 64)).toEqual(Array(64).fill(0));
  });

  it('visits wide values whole (siblings after a shallow subtree)', () => {
    const wide = { list: Array.from({ length: 1000 }, (_, i) => ({ i })), last: { deep: [[[]]] } };
    expect(findDepthViolation(wide, 4)).toEqual(['last', 'deep', 0, 0]);
    expect(findDepthViolation(wide, 5)).toBeUndefined();
  });
});

describe('exceedsDepth', () => {
  it('agrees with findDepthViolation, and leaves the next walk unaffected', () => {
    expect(exceedsDepth(nestedArrays(100_000), 64)).toBe(true);
    expect(exceedsDepth({ a: [{ b: [] }] }, 4)).toBe(false);
    expect(exceedsDepth({ a: [{ b: [] }] }, 3)).toBe(true);
    expect(exceedsDepth([[], [[]], { x: null }], 3)).toBe(false);
  });
});
