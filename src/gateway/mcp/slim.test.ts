import { describe, expect, it } from 'vitest';
import { minifyInputSchema } from './slim.js';

describe("slim_tools schema minification (the original's rules)", () => {
  it('drops schema noise, keeps only the listed property keys, recursing into properties and items', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      title: 'T',
      description: 'd',
      additionalProperties: false,
      required: ['a'],
      properties: {
        a: { type: 'string', description: 'gone', default: 'x', minLength: 1, examples: ['y'] },
        b: {
          type: 'array',
          title: 'gone',
          items: { type: 'object', description: 'gone', format: 'kept: items are a schema', properties: { c: { type: 'number', maximum: 3, format: 'gone' } } },
        },
        e: { anyOf: [{ type: 'string', description: 'kept: combinators stay as they are' }, { type: 'null' }] },
        n: { type: 'object', properties: { m: { type: 'string', description: 'gone' } } },
      },
    };
    expect(minifyInputSchema(schema)).toEqual({
      type: 'object',
      required: ['a'],
      properties: {
        a: { type: 'string', minLength: 1 },
        b: { type: 'array', items: { type: 'object', format: 'kept: items are a schema', properties: { c: { type: 'number', maximum: 3 } } } },
        e: { anyOf: [{ type: 'string', description: 'kept: combinators stay as they are' }, { type: 'null' }] },
        n: { type: 'object', properties: { m: { type: 'string' } } },
      },
    });
  });

  it('leaves a schema without properties usable and does not touch its input', () => {
    const input = { type: 'object', description: 'x' };
    expect(minifyInputSchema(input)).toEqual({ type: 'object' });
    expect(input.description).toBe('x');
    expect(minifyInputSchema(undefined)).toBeUndefined();
  });
});
