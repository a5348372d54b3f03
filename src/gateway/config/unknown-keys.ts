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

/**
 * For a field the schema found missing or wrong at `path` (`workspaces.0.default_policy`): a field
 * beside it with a name one or two letters away (`defualt_policy`), which a person meant for it.
 * A trial's typo read "invalid at workspaces.0.default_policy: Invalid option", and the misspelt
 * name was never shown. Undefined when there is none.
 */
export function misspeltSibling(input: unknown, path: ReadonlyArray<PropertyKey>): string | undefined {
  const wanted = path.at(-1);
  if (typeof wanted !== 'string') return undefined;
  let parent: unknown = input;
  for (const key of path.slice(0, -1)) parent = isPlainObject(parent) || Array.isArray(parent) ? (parent as Record<PropertyKey, unknown>)[key] : undefined;
  if (!isPlainObject(parent)) return undefined;
  return Object.keys(parent).find((key) => key !== wanted && !Object.hasOwn(parent as object, wanted) && distance(key, wanted) <= 2);
}

/** Edit distance with adjacent transpositions (`defualt` is one edit from `default`, as a typist makes it); names are short. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
