import { describe, expect, it } from 'vitest';
import { coercibleProperties, prepareArguments } from './arguments.js';

const SCHEMA = {
  type: 'object',
  $defs: { Address: { type: 'object', properties: { zip: { type: 'string' } } } },
  properties: {
    message: { type: 'string' },
    config: { type: 'object' },
    list: { type: 'array' },
    either: { type: ['object', 'null'] },
    textOrObject: { type: ['string', 'object'] },
    anything: {},
    address: { $ref: '#/$defs/Address' },
    shape: { anyOf: [{ type: 'array' }, { type: 'object' }] },
    maybeText: { anyOf: [{ type: 'object' }, { type: 'string' }] },
    open: { anyOf: [{ type: 'object' }, {}] },
    fixed: { const: { a: 1 } },
    count: { type: 'integer' },
  },
};

describe('coercible properties', () => {
  it('are the top-level properties typed object or array and never string', () => {
    expect(coercibleProperties(SCHEMA)).toEqual([
      { key: 'config', object: true, array: false },
      { key: 'list', object: false, array: true },
      { key: 'either', object: true, array: false },
      { key: 'address', object: true, array: false },
      { key: 'shape', object: true, array: true },
      { key: 'fixed', object: true, array: false },
    ]);
    expect(coercibleProperties({ type: 'object', properties: { message: { type: 'string' } } })).toEqual([]);
    expect(coercibleProperties(undefined)).toEqual([]);
  });
});

describe('prepareArguments', () => {
  const coercible = coercibleProperties(SCHEMA);

  it('passes JSON text untouched to a string parameter, and to a tool whose schema it does not know', () => {
    const args = { message: '{"status":"ok","items":[1,2]}', textOrObject: '{"a":1}', anything: '[1]', maybeText: '{"b":2}' };
    expect(prepareArguments(args, coercible).args).toBe(args);
    const unknown = { content: '{"name":"pkg","version":"1.0.0"}' };
    expect(prepareArguments(unknown).args).toBe(unknown);
  });

  it('parses JSON text only into the type the schema allows', () => {
    const { args } = prepareArguments(
      { config: ' {"x":1}', list: '[1,"a"]', shape: '[2]', address: '{"zip":"1"}', either: '[1]', count: '5', message: 'm', fixed: '{bad' },
      coercible,
    );
    expect(args).toEqual({ config: { x: 1 }, list: [1, 'a'], shape: [2], address: { zip: '1' }, either: '[1]', count: '5', message: 'm', fixed: '{bad' });
  });

  it('strips _cache_bust (true or false) and _justification, reporting them, without touching the input', () => {
    const input = { q: 'x', _cache_bust: false, _justification: 'needed' };
    const prepared = prepareArguments(input);
    expect(prepared).toEqual({ args: { q: 'x' }, cacheBust: false, justification: 'needed' });
    expect(input).toHaveProperty('_cache_bust');
    expect(prepareArguments({ _cache_bust: true }).cacheBust).toBe(true);
  });

  it('returns the same object when nothing changes', () => {
    const input = { q: 'x', n: 1, config: { already: 'an object' } };
    expect(prepareArguments(input, coercible).args).toBe(input);
  });
});
