/**
 * A client's tool arguments, prepared for the downstream. Models often send an object or array
 * parameter as JSON text; the original MCPlexer parsed every top-level string that looked like
 * JSON, which broke tools that take JSON text (`echo {"message": "{\"a\":1}"}`, a `package.json`
 * written through `write_file`). Ours parses a string only where the tool's `inputSchema` says
 * that property is an object or array and never a string: the catalog computes those properties
 * once per tool (`coercibleProperties`), so a call costs O(number of such properties), zero for
 * most tools.
 */
export interface PreparedArguments {
  args: Record<string, unknown> | undefined;
  cacheBust: boolean;
  justification: string | undefined;
}

/** A top-level property whose schema accepts an object and/or an array, and no string. */
export interface Coercible {
  readonly key: string;
  readonly object: boolean;
  readonly array: boolean;
}

type Schema = Record<string, unknown>;
const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const NONE: readonly Coercible[] = [];
const MAX_REF_DEPTH = 8;

/**
 * The top-level properties of an input schema that may receive JSON text to parse.
 *
 * @param inputSchema the tool's input schema (JSON Schema; local `$ref`s into `$defs`/`definitions` are followed)
 */
export function coercibleProperties(inputSchema: unknown): readonly Coercible[] {
  if (!isObject(inputSchema) || !isObject(inputSchema.properties)) return NONE;
  const out: Coercible[] = [];
  for (const [key, property] of Object.entries(inputSchema.properties)) {
    const types = acceptedTypes(property, inputSchema, 0);
    if (types === 'any' || types.has('string')) continue;
    const object = types.has('object');
    const array = types.has('array');
    if (object || array) out.push({ key, object, array });
  }
  return out.length > 0 ? out : NONE;
}

/** The JSON types a subschema may accept, or 'any' when it does not narrow them. */
function acceptedTypes(schema: unknown, root: Schema, depth: number): Set<string> | 'any' {
  if (!isObject(schema) || depth > MAX_REF_DEPTH) return 'any';
  const found: Array<Set<string>> = [];
  if (typeof schema.type === 'string') found.push(new Set([schema.type]));
  else if (Array.isArray(schema.type)) found.push(new Set(schema.type.map(String)));
  if ('const' in schema) found.push(new Set([jsonType(schema.const)]));
  if (Array.isArray(schema.enum)) found.push(new Set(schema.enum.map(jsonType)));
  if (typeof schema.$ref === 'string') {
    const target = resolveLocalRef(root, schema.$ref);
    const types = target === undefined ? 'any' : acceptedTypes(target, root, depth + 1);
    if (types !== 'any') found.push(types);
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const union = new Set<string>();
    let open = false;
    for (const branch of branches) {
      const types = acceptedTypes(branch, root, depth + 1);
      if (types === 'any') open = true;
      else for (const type of types) union.add(type);
    }
    if (!open) found.push(union);
  }
  if (Array.isArray(schema.allOf)) {
    for (const branch of schema.allOf) {
      const types = acceptedTypes(branch, root, depth + 1);
      if (types !== 'any') found.push(types);
    }
  }
  if (found.length === 0) return 'any';
  // Every constraint must hold, so the accepted types are the intersection ("integer" is a number).
  return found.reduce((acc, next) => new Set([...acc].filter((type) => next.has(type) || (type === 'integer' && next.has('number')))));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

function resolveLocalRef(root: Schema, ref: string): unknown {
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  if (!match) return undefined;
  const defs = root[match[1]!];
  const name = decodeURIComponent(match[2]!).replace(/~1/g, '/').replace(/~0/g, '~');
  return isObject(defs) ? defs[name] : undefined;
}

const CONTROL_FIELDS = ['_cache_bust', '_justification'] as const;

/**
 * Parses JSON text in the coercible properties (only into the type the schema allows; anything
 * else is passed as sent, for the downstream to judge) and takes out the gateway's own control
 * fields. `args` is the same object as `input` when nothing changes (no allocation on the hot
 * path).
 *
 * @param input the call's `arguments` (not modified)
 * @param coercible the tool's `coercibleProperties` (empty for a tool the catalog does not know)
 * @param into where the fields go (the call record on a real call, so nothing is allocated); default a new object
 */
export function prepareArguments<T extends PreparedArguments = PreparedArguments>(
  input: Record<string, unknown> | undefined,
  coercible: readonly Coercible[] = NONE,
  into: T = { args: undefined, cacheBust: false, justification: undefined } as T,
): T {
  if (!input) {
    into.args = undefined;
    into.cacheBust = false;
    into.justification = undefined;
    return into;
  }
  let out = input;
  for (const property of coercible) {
    const value = input[property.key];
    if (typeof value !== 'string') continue;
    const parsed = parseJsonText(value, property);
    if (parsed === undefined) continue;
    if (out === input) out = { ...input };
    out[property.key] = parsed;
  }
  into.cacheBust = input._cache_bust === true;
  into.justification = typeof input._justification === 'string' ? input._justification : undefined;
  for (const field of CONTROL_FIELDS) {
    if (!(field in input)) continue;
    if (out === input) out = { ...input };
    delete out[field];
  }
  into.args = out;
  return into;
}

function parseJsonText(text: string, property: Coercible): unknown {
  const first = text.trimStart()[0];
  if (!(first === '{' && property.object) && !(first === '[' && property.array)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON after all: the downstream gets the string it was given
  }
}
