/**
 * `slim_tools`: minifies a tool's input schema exactly as the original MCPlexer does. A schema
 * loses `description`, `additionalProperties`, `examples`, `default`, `title` and `$schema`; each
 * property keeps only the keys of PROPERTY_KEEP, its nested `properties` are minified the same
 * way, and its `items` are minified as a schema. Combinators are kept as they are. The tool's own
 * description stays.
 */
const SCHEMA_DROP = new Set(['description', 'additionalProperties', 'examples', 'default', 'title', '$schema']);
const PROPERTY_KEEP = new Set([
  'type',
  'properties',
  'required',
  'enum',
  'items',
  'const',
  'oneOf',
  'anyOf',
  'allOf',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
]);

type Schema = Record<string, unknown>;
const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

export function minifyInputSchema(schema: Schema | undefined): Schema | undefined {
  if (!isObject(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_DROP.has(key)) continue;
    out[key] = key === 'properties' ? minifyProperties(value) : value;
  }
  return out;
}

function minifyProperties(properties: unknown): unknown {
  if (!isObject(properties)) return properties;
  const out: Schema = {};
  for (const [name, property] of Object.entries(properties)) {
    if (!isObject(property)) {
      out[name] = property;
      continue;
    }
    const kept: Schema = {};
    for (const [key, value] of Object.entries(property)) {
      if (!PROPERTY_KEEP.has(key)) continue;
      if (key === 'properties') kept[key] = minifyProperties(value);
      else if (key === 'items' && isObject(value)) kept[key] = minifyInputSchema(value);
      else kept[key] = value;
    }
    out[name] = kept;
  }
  return out;
}
