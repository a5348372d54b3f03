/**
 * `slim_tools`: minifies a tool's input schema by dropping what carries no constraint. A schema
 * accepts exactly the same values after it as before (the property test in `slim.test.ts` holds
 * this with ajv over generated schemas and values).
 *
 * Dropped, in every subschema: the annotations `title`, `description`, `examples`, `default` and
 * `$comment`. The tool's own description stays. Kept: every validation keyword (`format`,
 * `multipleOf`, `exclusiveMinimum`, `minItems`, `additionalProperties`, …), `$ref` and the
 * `$defs`/`definitions` it points to, `$schema` (it selects the dialect, so the meaning of
 * `items` and friends), and any keyword this list does not know (it may be a constraint of
 * another dialect or vocabulary).
 *
 * The original MCPlexer kept a short list of keys per property and dropped the rest, turning
 * `{"$ref": "#/$defs/Address"}` into `{}` and losing `format`, `multipleOf`, `minItems` and record
 * `additionalProperties`: clients then sent arguments the server rejected. Ours keeps its purpose
 * (fewer tokens: descriptions, titles and examples are most of a schema's size) without that.
 */
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'default', '$comment']);

/** Keywords whose value is one subschema. */
const SCHEMA_VALUED = new Set([
  'additionalProperties',
  'additionalItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'items',
]);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
/** Keywords whose value maps names to subschemas (the names are data, never dropped). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);

type Schema = Record<string, unknown>;
const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * @param schema a tool's `inputSchema` (any JSON Schema; a non-object is returned as it is)
 * @returns a new schema without annotations; the input is not modified
 */
export function minifyInputSchema(schema: Schema | undefined): Schema | undefined {
  return isObject(schema) ? minifySchema(schema) : schema;
}

function minifySchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    out[key] = minifyKeyword(key, value);
  }
  return out;
}

function minifyKeyword(key: string, value: unknown): unknown {
  if (Array.isArray(value)) return SCHEMA_LISTS.has(key) ? value.map(minifySubschema) : value;
  if (!isObject(value)) return value;
  if (SCHEMA_VALUED.has(key)) return minifySchema(value);
  if (SCHEMA_MAPS.has(key)) {
    const out: Schema = {};
    // `dependencies` may map a name to a list of property names: a list is data, kept as it is.
    for (const [name, sub] of Object.entries(value)) out[name] = isObject(sub) ? minifySchema(sub) : sub;
    return out;
  }
  // const, enum members, unknown keywords' objects: data, kept verbatim.
  return value;
}

const minifySubschema = (value: unknown): unknown => (isObject(value) ? minifySchema(value) : value);
