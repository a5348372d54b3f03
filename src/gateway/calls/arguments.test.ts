import { describe, expect, it } from 'vitest';
import { prepareArguments } from './arguments.js';

describe('prepareArguments', () => {
  it('parses top-level stringified objects and arrays only', () => {
    const { args } = prepareArguments({ a: '{"x":1}', b: '[1,2]', c: 'plain', d: '{not json', e: 5, f: { g: '{"h":1}' } });
    expect(args).toEqual({ a: { x: 1 }, b: [1, 2], c: 'plain', d: '{not json', e: 5, f: { g: '{"h":1}' } });
  });

  it('strips _cache_bust (true or false) and _justification, reporting them', () => {
    const input = { q: 'x', _cache_bust: false, _justification: 'needed' };
    const prepared = prepareArguments(input);
    expect(prepared).toEqual({ args: { q: 'x' }, cacheBust: false, justification: 'needed' });
    expect(input).toHaveProperty('_cache_bust');
    expect(prepareArguments({ _cache_bust: true }).cacheBust).toBe(true);
  });

  it('returns the same object when nothing changes', () => {
    const input = { q: 'x', n: 1 };
    expect(prepareArguments(input).args).toBe(input);
  });
});
