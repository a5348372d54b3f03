import { describe, expect, it } from 'vitest';
import { argumentsHash, canonicalJson } from './key.js';

describe('cache keys', () => {
  it('sort object keys at every depth, keep array order', () => {
    expect(canonicalJson({ b: 2, a: 1 })).toBe('{"a":1,"b":2}');
    expect(canonicalJson({ z: [{ y: 1, x: [2, 1] }], a: { d: null, c: 'é' } })).toBe('{"a":{"c":"é","d":null},"z":[{"x":[2,1],"y":1}]}');
    expect(argumentsHash({ a: 1, b: { c: 3, d: 4 } })).toBe(argumentsHash({ b: { d: 4, c: 3 }, a: 1 }));
    expect(argumentsHash({ a: [1, 2] })).not.toBe(argumentsHash({ a: [2, 1] }));
    expect(argumentsHash({ a: 1 })).not.toBe(argumentsHash({ a: '1' }));
  });

  it('treat missing arguments as {} and leave out what JSON leaves out', () => {
    expect(canonicalJson(undefined)).toBe('{}');
    expect(argumentsHash(undefined)).toBe(argumentsHash({}));
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('have no key for arguments deeper than 64 levels or not JSON (such a call is not cached)', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(canonicalJson(deep)).toBeUndefined();
    expect(canonicalJson({ n: 10n })).toBeUndefined();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(argumentsHash(cyclic)).toBeUndefined();
  });
});
