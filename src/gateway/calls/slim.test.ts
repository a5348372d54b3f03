import { Ajv, AjvJsonSchemaValidator, addFormats } from '@modelcontextprotocol/server/validators/ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minifyInputSchema } from './slim.js';

type Schema = Record<string, unknown>;

describe('slim_tools schema minification', () => {
  it('drops annotations everywhere and keeps every constraint, $ref with its $defs, and property names that look like keywords', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      title: 'T',
      description: 'd',
      examples: [{}],
      default: {},
      additionalProperties: false,
      required: ['a'],
      $defs: { Address: { type: 'object', description: 'gone', properties: { zip: { type: 'string', pattern: '^[0-9]{5}$', title: 'gone' } } } },
      properties: {
        a: { type: 'string', description: 'gone', default: 'x', minLength: 1, examples: ['y'], format: 'email' },
        home: { $ref: '#/$defs/Address', description: 'gone' },
        labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 3, description: 'gone' } },
        tags: { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: { type: 'string', title: 'gone' } },
        n: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5, $comment: 'gone' },
        description: { type: 'string', description: 'a property named "description" stays' },
        fixed: { const: { title: 'data, not a schema: kept' } },
      },
    };
    expect(minifyInputSchema(schema)).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      required: ['a'],
      $defs: { Address: { type: 'object', properties: { zip: { type: 'string', pattern: '^[0-9]{5}$' } } } },
      properties: {
        a: { type: 'string', minLength: 1, format: 'email' },
        home: { $ref: '#/$defs/Address' },
        labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
        tags: { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: { type: 'string' } },
        n: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 },
        description: { type: 'string' },
        fixed: { const: { title: 'data, not a schema: kept' } },
      },
    });
  });

  it('recurses into combinators, definitions, tuple items and conditionals, and does not touch its input', () => {
    const input = {
      type: 'object',
      description: 'x',
      definitions: { D: { enum: [1, 2], title: 'gone' } },
      properties: {
        pick: { anyOf: [{ type: 'string', description: 'gone' }, { $ref: '#/definitions/D' }] },
        pair: { type: 'array', items: [{ type: 'string', title: 'gone' }, { type: 'integer' }], additionalItems: false },
        cond: { if: { minimum: 10, title: 'gone' }, then: { multipleOf: 10 }, else: { not: { const: 3, description: 'gone' } } },
      },
    };
    expect(minifyInputSchema(input)).toEqual({
      type: 'object',
      definitions: { D: { enum: [1, 2] } },
      properties: {
        pick: { anyOf: [{ type: 'string' }, { $ref: '#/definitions/D' }] },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
        cond: { if: { minimum: 10 }, then: { multipleOf: 10 }, else: { not: { const: 3 } } },
      },
    });
    expect(input.description).toBe('x');
    expect(minifyInputSchema(undefined)).toBeUndefined();
  });
});

// ---- property: the slim schema accepts exactly what the full one accepts ----

const NAMES = ['a', 'b', 'description', 'title', 'default', 'examples', 'type', 'items'];
const FORMATS = ['email', 'date', 'uri', 'ipv4', 'uuid', 'date-time'];
const DEFS = ['Address', 'Amount'];

/** Annotations a schema may carry (all must go, none may change what validates). */
const annotated = (schema: fc.Arbitrary<Schema>): fc.Arbitrary<Schema> =>
  fc
    .tuple(
      schema,
      fc.record(
        { title: fc.string(), description: fc.string(), examples: fc.array(fc.jsonValue(), { maxLength: 2 }), default: fc.jsonValue(), $comment: fc.string() },
        { requiredKeys: [] },
      ),
    )
    .map(([s, notes]) => ({ ...notes, ...s }));

const small = fc.integer({ min: -5, max: 20 });
const leaf: fc.Arbitrary<Schema> = fc.oneof(
  fc.record(
    {
      type: fc.constant('string'),
      minLength: fc.nat(4),
      maxLength: fc.integer({ min: 2, max: 12 }),
      pattern: fc.constantFrom('^a', '[0-9]', '^.{0,3}$'),
      format: fc.constantFrom(...FORMATS),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constantFrom('number', 'integer'),
      minimum: small,
      maximum: small,
      exclusiveMinimum: small,
      exclusiveMaximum: small,
      multipleOf: fc.constantFrom(0.5, 2, 3),
    },
    { requiredKeys: ['type'] },
  ),
  fc.constantFrom<Schema>({ type: 'boolean' }, { type: 'null' }, {}),
  fc.record({
    enum: fc.uniqueArray(fc.oneof(fc.constantFrom('a@b.co', 'abc', ''), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null)), {
      minLength: 1,
      maxLength: 3,
      selector: (v) => `${typeof v}:${String(v)}`,
    }),
  }),
  fc.record({ const: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ $ref: fc.constantFrom(...DEFS.map((d) => `#/$defs/${d}`)) }),
);

const { schema: schemaArb } = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    annotated(leaf),
    annotated(
      fc.record(
        {
          type: fc.constant('object'),
          properties: fc.dictionary(fc.constantFrom(...NAMES), tie('schema'), { maxKeys: 3, noNullPrototype: true }),
          required: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 }),
          additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
          patternProperties: fc.dictionary(fc.constantFrom('^x', '^d'), tie('schema'), { maxKeys: 1, noNullPrototype: true }),
          minProperties: fc.nat(2),
          maxProperties: fc.integer({ min: 1, max: 4 }),
          propertyNames: fc.constant({ maxLength: 5 }),
        },
        { requiredKeys: ['type'] },
      ),
    ),
    annotated(
      fc.record(
        {
          type: fc.constant('array'),
          items: tie('schema'),
          minItems: fc.nat(2),
          maxItems: fc.integer({ min: 1, max: 4 }),
          uniqueItems: fc.boolean(),
          contains: tie('schema'),
        },
        { requiredKeys: ['type'] },
      ),
    ),
    annotated(fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) })),
    annotated(fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) })),
    annotated(fc.record({ allOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) })),
    annotated(fc.record({ not: tie('schema') })),
    annotated(fc.record({ if: tie('schema'), then: tie('schema'), else: tie('schema') }, { requiredKeys: ['if'] })),
  ),
}));

/** A tool's input schema: an object at the top, with `$defs` the `$ref`s point into. */
const inputSchemaArb: fc.Arbitrary<Schema> = fc
  .record({
    top: annotated(
      fc.record(
        {
          properties: fc.dictionary(fc.constantFrom(...NAMES), schemaArb, { maxKeys: 4, noNullPrototype: true }),
          required: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 3 }),
          additionalProperties: fc.oneof(fc.boolean(), schemaArb),
        },
        { requiredKeys: ['properties'] },
      ),
    ),
    // Definitions hold no $ref (so no reference cycle), but anything else.
    defs: fc.tuple(annotated(leaf.filter((s) => !('$ref' in s))), annotated(leaf.filter((s) => !('$ref' in s)))),
  })
  .map(({ top, defs }) => ({ type: 'object', ...top, $defs: { Address: defs[0], Amount: defs[1] } }));

/** Values near the schemas' shapes: objects with the generated property names, strings that are and are not formats. */
const valueArb = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a@b.co', '2024-01-31', 'http://x.y/z', '10.0.0.1', '123e4567-e89b-12d3-a456-426614174000', 'abc', 'a1', ''),
    fc.integer({ min: -10, max: 30 }),
    fc.double({ min: -10, max: 30, noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    // Values as JSON.parse makes them: ordinary objects (a null-prototype one breaks ajv's deep equality).
    fc.dictionary(fc.constantFrom(...NAMES, 'x1', 'dd'), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

const draft07 = new Ajv({ strict: false, allErrors: false });
addFormats(draft07);
const sdk = new AjvJsonSchemaValidator(); // what the SDK clients use: 2020-12 for a schema without $schema

describe('slim_tools property: the slim schema accepts exactly what the full one accepts', () => {
  it('for any generated schema and values, under draft-07 ajv and the SDK validator (2020-12)', () => {
    fc.assert(
      fc.property(inputSchemaArb, fc.array(valueArb, { minLength: 4, maxLength: 24 }), (full, values) => {
        const slim = minifyInputSchema(full)!;
        const fullDraft07 = draft07.compile(full);
        const slimDraft07 = draft07.compile(slim);
        const fullSdk = sdk.getValidator(full);
        const slimSdk = sdk.getValidator(slim);
        for (const value of values) {
          expect(slimDraft07(value)).toBe(fullDraft07(value));
          expect(slimSdk(value).valid).toBe(fullSdk(value).valid);
        }
        // It does slim: minifying again changes nothing.
        expect(minifyInputSchema(slim)).toEqual(slim);
      }),
      { numRuns: 100 },
    );
  });
});
