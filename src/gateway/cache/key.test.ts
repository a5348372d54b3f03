import { describe, expect, it } from 'vitest';
import { argumentsKey, canonicalJson, LITERAL_KEY_CHARS } from './key.js';

describe('cache keys', () => {
  it('sort object keys at every depth, keep array order', () => {
    expect(canonicalJson({ b: 2, a: 1 })).toBe('{"a":1,"b":2}');
    expect(canonicalJson({ z: [{ y: 1, x: [2, 1] }], a: { d: null, c: 'é' } })).toBe('{"a":{"c":"é","d":null},"z":[{"x":[2,1],"y":1}]}');
    expect(argumentsKey({ a: 1, b: { c: 3, d: 4 } })).toBe(argumentsKey({ b: { d: 4, c: 3 }, a: 1 }));
    expect(argumentsKey({ a: [1, 2] })).not.toBe(argumentsKey({ a: [2, 1] }));
    expect(argumentsKey({ a: 1 })).not.toBe(argumentsKey({ a: '1' }));
  });

  it('treat missing arguments as {} and leave out what JSON leaves out', () => {
    expect(canonicalJson(undefined)).toBe('{}');
    expect(argumentsKey(undefined)).toBe(argumentsKey({}));
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('have no key for arguments deeper than 64 levels or not JSON (such a call is not cached)', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(canonicalJson(deep)).toBeUndefined();
    expect(canonicalJson({ n: 10n })).toBeUndefined();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(argumentsKey(cyclic)).toBeUndefined();
  });

  it('are the canonical text itself when short, a SHA-256 when long, and the two never meet', () => {
    expect(argumentsKey({ message: 'hello', n: 1 })).toBe('={"message":"hello","n":1}');
    expect(argumentsKey({ n: 1, message: 'hello' })).toBe(argumentsKey({ message: 'hello', n: 1 }));
    const long = { text: 'x'.repeat(LITERAL_KEY_CHARS) };
    expect(argumentsKey(long)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(argumentsKey(long)).not.toBe(argumentsKey({ text: 'x'.repeat(LITERAL_KEY_CHARS + 1) }));
    // The longest literal key and the shortest hashed one, around the bound.
    const edge = { t: 'y'.repeat(LITERAL_KEY_CHARS - 8) }; // {"t":"…"} is 8 characters around the value
    expect(canonicalJson(edge)).toHaveLength(LITERAL_KEY_CHARS);
    expect(argumentsKey(edge)!.startsWith('=')).toBe(true);
    expect(argumentsKey({ t: 'y'.repeat(LITERAL_KEY_CHARS - 7) })!.startsWith('=')).toBe(false);
  });
});
