/** At most this many unknown fields are named in one message. */
const NAMED = 10;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields of `input` that a schema's parse left out of `output` (a zod object drops keys it does
 * not know), as paths like `workspaces.0.defualt_policy`, at most `NAMED` of them. Compares the
 * value as read with the value as parsed, so it needs no knowledge of the schema; defaults the parse
 * added are not a difference. `input` has passed the state's bounds (depth), so the walk is bounded.
 */
export function droppedKeys(input: unknown, output: unknown, path = '', found: string[] = []): string[] {
  if (found.length >= NAMED) return found;
  if (Array.isArray(input) && Array.isArray(output)) {
    input.forEach((item, i) => droppedKeys(item, output[i], path ? `${path}.${i}` : String(i), found));
  } else if (isPlainObject(input) && isPlainObject(output)) {
    for (const key of Object.keys(input)) {
      const at = path ? `${path}.${key}` : key;
      if (!Object.hasOwn(output, key)) found.push(at);
      else droppedKeys(input[key], output[key], at, found);
      if (found.length >= NAMED) break;
    }
  }
  return found;
}
