/**
 * `slim_tools`: minifies a tool's input schema (the original's keep/drop lists). The tool's own
 * description stays; only schema noise that costs the model context goes.
 */
const TOP_LEVEL_DROP = new Set(['description', 'additionalProperties', 'examples', 'default', 'title', '$schema']);
const PROPERTY_KEEP = new Set(['type', 'properties', 'required', 'enum', 'items', 'const', 'oneOf', 'anyOf', 'allOf', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern']);

type Schema = Record<string, unknown>;

export function minifyInputSchema(schema: Schema | undefined): Schema | undefined {
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (TOP_LEVEL_DROP.has(key)) continue;
    out[key] = key === 'properties' ? minifyProperties(value) : key === 'items' ? minifyProperty(value) : value;
  }
  return out;
}

function minifyProperties(properties: unknown): unknown {
  if (!properties || typeof properties !== 'object' || Array.isArray(properties)) return properties;
  const out: Schema = {};
  for (const [name, property] of Object.entries(properties as Schema)) out[name] = minifyProperty(property);
  return out;
}

function minifyProperty(property: unknown): unknown {
  if (!property || typeof property !== 'object' || Array.isArray(property)) return property;
  const out: Schema = {};
  for (const [key, value] of Object.entries(property as Schema)) {
    if (!PROPERTY_KEEP.has(key)) continue;
    if (key === 'properties') out[key] = minifyProperties(value);
    else if (key === 'items') out[key] = minifyProperty(value);
    else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value)) out[key] = value.map(minifyProperty);
    else out[key] = value;
  }
  return out;
}
