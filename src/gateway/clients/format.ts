import { GatewayError } from '../errors.js';

/**
 * A config file format, as the installer needs it: read the entries under a key, and return the
 * text with one entry set or removed, everything else byte for byte as it was.
 */
export interface ConfigFormat {
  /**
   * The entries under `key` by name (`{}` when the file is empty or has no such key).
   * @throws GatewayError `unprocessable` when the text cannot be parsed, or `key` holds something
   *   else than a table of servers (see `cannotParse`)
   */
  entries(text: string, key: readonly string[], file: string): Record<string, unknown>;
  /** The text with entry `name` under `key` set to `value` (added, or its value replaced). */
  put(text: string, key: readonly string[], name: string, value: Record<string, unknown>, file: string): string;
  /** The text without entry `name` (a container it leaves empty goes too). The entry must exist. */
  remove(text: string, key: readonly string[], name: string, file: string): string;
  /**
   * Whether the text holds nothing but whitespace and comments (no document at all), so install
   * starts it as a missing file (`ClientSpec.newFile`), after what it holds. Absent: never.
   */
  blank?(text: string): boolean;
}

/** The file's line ending: CRLF when it has any, else LF. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * The refusal for a file MCPlexer will not edit: 422 with the file, line and column, so the user
 * can fix it (the file is left untouched).
 */
export function cannotParse(file: string, line: number, column: number, problem: string, advice = 'fix it and try again'): GatewayError {
  return new GatewayError('unprocessable', `${file} cannot be parsed at line ${line}, column ${column}: ${problem}. MCPlexer left it untouched; ${advice}`, {
    details: [{ path: `${file}:${line}:${column}`, message: problem }],
  });
}

/**
 * The deepest nesting of arrays and objects (tables, mappings) MCPlexer reads in a client's config
 * file; `{}` is 1. The parsers recurse per level: a file nested 200,000 deep overflowed the stack,
 * and the RangeError answered 500 for that client and for the whole status listing. YAML's
 * parser even kills the process (out of memory in V8) when such a file is parsed a second time,
 * so the text is measured before any parser sees it. The same bound as the gateway's stored values
 * (STORED_VALUE_LIMITS.maxDepth in config/bounds.ts, which clients may not import): nothing deeper
 * could be imported anyway, and real client configs nest a handful of levels.
 */
export const MAX_CONFIG_DEPTH = 64;

/** The refusal of a file nested deeper than `MAX_CONFIG_DEPTH`: 422, like any file that cannot be parsed. */
export function tooDeep(file: string, text: string, offset: number | undefined): GatewayError {
  const { line, column } = offset === undefined ? { line: 1, column: 1 } : positionOf(text, offset);
  return cannotParse(
    file,
    line,
    column,
    `it is nested too deeply (more than ${MAX_CONFIG_DEPTH} levels of arrays and objects, tables or mappings, the most MCPlexer reads in a client's config file)`,
    'flatten it, or remove the file if its client does not need it, and try again',
  );
}

/**
 * Where brackets (`[` and `{`) first nest deeper than `MAX_CONFIG_DEPTH` in JSON(C) or TOML text,
 * outside strings and comments; undefined when they never do. One pass, no recursion. A single-line
 * string ends at a line break, as both parsers end it, so an unclosed quote cannot hide what follows.
 */
export function bracketsTooDeepAt(text: string, syntax: 'json' | 'toml'): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '[' || c === '{') {
      if (++depth > MAX_CONFIG_DEPTH) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '"' || (c === "'" && syntax === 'toml')) i = stringEnd(text, i, syntax);
    else if ((c === '#' && syntax === 'toml') || (c === '/' && syntax === 'json' && text[i + 1] === '/')) i = lineEnd(text, i);
    else if (c === '/' && syntax === 'json' && text[i + 1] === '*') i = text.indexOf('*/', i + 2) + 1 || text.length;
  }
  return undefined;
}

/** The offset of the last character of the string opening at `start` (TOML: also the multi-line ones). */
function stringEnd(text: string, start: number, syntax: 'json' | 'toml'): number {
  const quote = text[start]!;
  const triple = quote.repeat(3);
  if (syntax === 'toml' && text.startsWith(triple, start)) {
    let end = start + 3;
    // An escaped quote (basic strings only) does not close; `""""` closes with a quote inside.
    while ((end = text.indexOf(triple, end)) !== -1 && quote === '"' && escaped(text, end)) end++;
    return end === -1 ? text.length : end + 2;
  }
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quote === '"') i++;
    else if (c === quote || c === '\n') return i;
  }
  return text.length;
}

function escaped(text: string, at: number): boolean {
  let slashes = 0;
  while (text[at - 1 - slashes] === '\\') slashes++;
  return slashes % 2 === 1;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/** How deep a parsed value nests (`{}` is 1), walked without recursion. */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [at, depth] = stack.pop()!;
    if (at === null || typeof at !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (depth > MAX_CONFIG_DEPTH) break;
    for (const child of Object.values(at)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * `format` behind a depth check: text nested deeper than `MAX_CONFIG_DEPTH` (`tooDeepAt`) is refused
 * as unparseable before the parser sees it; a stack overflow in a parser all the same is refused
 * the same way (the backstop: no parser's recursion can answer 500); and so are entries that nest
 * deeper without brackets (TOML dotted keys, YAML block indentation), before anything recursive
 * (comparing, importing) walks them.
 */
export function depthGuarded(format: ConfigFormat, tooDeepAt: (text: string) => number | undefined): ConfigFormat {
  const guard = <T>(text: string, file: string, run: () => T): T => {
    const at = tooDeepAt(text);
    if (at !== undefined) throw tooDeep(file, text, at);
    try {
      return run();
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message)) throw tooDeep(file, text, undefined);
      throw error;
    }
  };
  const blank = format.blank;
  return {
    entries(text, key, file) {
      const entries = guard(text, file, () => format.entries(text, key, file));
      // The document's depth down to them: its top level and the containers `key` names (the
      // entries' own container is `depthOf`'s first level), so the limit means one thing per file.
      if (key.length + depthOf(entries) > MAX_CONFIG_DEPTH) throw tooDeep(file, text, undefined);
      return entries;
    },
    put: (text, key, name, value, file) => guard(text, file, () => format.put(text, key, name, value, file)),
    remove: (text, key, name, file) => guard(text, file, () => format.remove(text, key, name, file)),
    // Too deep is not blank: install then reads it with `entries`, which refuses it.
    ...(blank && { blank: (text: string) => tooDeepAt(text) === undefined && guard(text, '', () => blank(text)) }),
  };
}
