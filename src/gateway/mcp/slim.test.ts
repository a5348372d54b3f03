import { describe, expect, it } from 'vitest';
import { minifyInputSchema } from './slim.js';

describe('slim_tools schema minification', () => {
  it('drops top-level noise and keeps only the listed keys in properties, recursively', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', title: 'T', description: 'd', additionalProperties: false,
      required: ['a'],
      properties: {
        a: { type: 'string', description: 'gone', default: 'x', minLength: 1, examples: ['y'] },
        b: { type: 'array', title: 'gone', items: { type: 'object', description: 'gone', properties: { c: { type: 'number', maximum: 3, format: 'gone' } } } },
        e: { anyOf: [{ type: 'string', description: 'gone' }, { type: 'null' }] },
      },
    };
    expect(minifyInputSchema(schema)).toEqual({
      type: 'object', required: ['a'],
      properties: {
        a: { type: 'string', minLength: 1 },
        b: { type: 'array', items: { type: 'object', properties: { c: { type: 'number', maximum: 3 } } } },
        e: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
    });
  });

  it('leaves a schema without properties usable', () => {
    expect(minifyInputSchema({ type: 'object' })).toEqual({ type: 'object' });
    expect(minifyInputSchema(undefined)).toBeUndefined();
  });
});
