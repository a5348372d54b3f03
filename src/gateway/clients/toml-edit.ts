import { parse, stringify, TomlError } from 'smol-toml';
import { GatewayError } from '../errors.js';
import { bracketsTooDeepAt, cannotParse, depthGuarded, eolOf, type ConfigFormat } from './format.js';

/**
 * TOML (Codex's config.toml): smol-toml parses the file, and our table is written with its
 * `stringify` and spliced into the original text, because stringifying the whole file would drop
 * its comments and layout. Our entry is the block from its `[mcp_servers.mcplexer]` header (with
 * its sub-tables such as `[mcp_servers.mcplexer.env]`) to the next other table; an entry written
 * inline or as dotted keys is reported, never rewritten.
 */
const plainTomlFormat: ConfigFormat = {
  entries(text, key, file) {
    let container: unknown = parseToml(text, file);
    for (const segment of key) container = (container as Record<string, unknown> | undefined)?.[segment];
    if (container === undefined) return {};
    if (container === null || typeof container !== 'object' || Array.isArray(container))
      throw cannotParse(file, 1, 1, `"${key.join('.')}" is not a table of servers`);
    return container as Record<string, unknown>;
  },
  put(text, key, name, value, file) {
    const eol = eolOf(text);
    const table =
      stringify(nest([...key, name], value))
        .trimEnd()
        .split('\n')
        .join(eol) + eol;
    const block = findBlock(text, [...key, name]);
    if (block) return text.slice(0, block.start) + table + text.slice(block.end);
    if (this.entries(text, key, file)[name] !== undefined) throw inlineEntry(file, [...key, name]);
    // A table cannot be added under a key defined inline (`mcp_servers = { … }`): TOML forbids it.
    if (definedInline(text, key)) throw inlineContainer(file, key);
    if (text === '') return table;
    return text + (text.endsWith('\n') ? '' : eol) + eol + table;
  },
  remove(text, key, name, file) {
    const block = findBlock(text, [...key, name]);
    if (!block) {
      if (this.entries(text, key, file)[name] !== undefined) throw inlineEntry(file, [...key, name]);
      return text;
    }
    // The blank line put() wrote before the table goes with it.
    const before = text.slice(0, block.start);
    const blank = before.endsWith('\n\r\n') ? 2 : before.endsWith('\n\n') ? 1 : 0;
    return text.slice(0, block.start - blank) + text.slice(block.end);
  },
};

/** TOML behind the depth check (format.ts): smol-toml bounds its own nesting, but the refusal should say how deep is allowed. */
export const tomlFormat: ConfigFormat = depthGuarded(plainTomlFormat, (text) => bracketsTooDeepAt(text, 'toml'));

function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) throw cannotParse(file, error.line, error.column, error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, ''));
    throw error;
  }
}

function nest(path: readonly string[], value: unknown): Record<string, unknown> {
  let inner: unknown = value;
  for (const segment of [...path].reverse()) inner = { [segment]: inner };
  return inner as Record<string, unknown>;
}

function inlineEntry(file: string, path: string[]): GatewayError {
  return new GatewayError(
    'unprocessable',
    `${file} defines ${path.join('.')} inline or with dotted keys; MCPlexer edits only a [${path.join('.')}] table. Rewrite it as one, or remove it, and try again`,
    { details: [{ path: file, message: `${path.join('.')} is not a [table]` }] },
  );
}

function inlineContainer(file: string, key: readonly string[]): GatewayError {
  const name = key.join('.');
  return new GatewayError(
    'unprocessable',
    `${file} defines ${name} as an inline table (${name} = { … }), and TOML allows no [${name}.mcplexer] table beside it. Rewrite each server as a [${name}.<name>] table and try again, or add the entry inside the inline table by hand`,
    { details: [{ path: file, message: `${name} is an inline table` }] },
  );
}

/** Whether `key` is assigned with `=` at the top level (before the first table header), as an inline table. */
function definedInline(text: string, key: readonly string[]): boolean {
  for (const line of linesOf(text)) {
    if (line.inString) continue;
    if (HEADER.test(line.text)) return false;
    const match = /^[ \t]*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*=/.exec(line.text);
    if (match && headerPath(match[1]!).join('.') === key.join('.')) return true;
  }
  return false;
}

const HEADER = /^[ \t]*\[\[?([^\]]*)\]\]?[ \t]*(#.*)?$/;

interface Line {
  start: number;
  end: number;
  text: string;
  /** The line begins inside a multi-line string: whatever it holds is string content, never a header. */
  inString: boolean;
}

/**
 * The text's lines, each marked when it begins inside a multi-line string (`"""` or `'''`), so a
 * line such as `[mcp_servers.mcplexer]` inside one is not taken for a header (a trial's was).
 */
function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let open: string | undefined; // the delimiter of the multi-line string we are in
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    const line = text.slice(start, newline === -1 ? text.length : newline).replace(/\r$/, '');
    lines.push({ start, end, text: line, inString: open !== undefined });
    open = stringStateAfter(line, open);
    start = end;
  }
  return lines;
}

/** The multi-line string still open at the end of `line`, given the one open at its start. */
function stringStateAfter(line: string, open: string | undefined): string | undefined {
  for (let i = 0; i < line.length;) {
    if (open !== undefined) {
      if (open === '"""' && line[i] === '\\') i += 2;
      else if (line.startsWith(open, i)) {
        while (line[i + 3] === open[0]) i++; // up to two quotes may end the content: the last three close it
        i += 3;
        open = undefined;
      } else i++;
      continue;
    }
    const c = line[i]!;
    if (c === '#') break;
    if (line.startsWith('"""', i) || line.startsWith("'''", i)) {
      open = line.slice(i, i + 3);
      i += 3;
    } else if (c === '"' || c === "'") {
      // A one-line string: skip to its closing quote (escapes only in basic strings).
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += c === '"' && line[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else i++;
  }
  return open;
}

/** A table header's key as segments (`"a".b` → ['a', 'b']). */
function headerPath(raw: string): string[] {
  const segments: string[] = [];
  for (const match of raw.matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/g)) segments.push(match[1] ?? match[2] ?? match[3] ?? '');
  return segments;
}

/**
 * The text range of table `path` and its sub-tables: from its header line to the line before the
 * next other header, without the blank and comment lines just before that header (they belong to it).
 */
function findBlock(text: string, path: string[]): { start: number; end: number } | undefined {
  const lines = linesOf(text);
  const ours = (line: Line) => {
    const match = line.inString ? null : HEADER.exec(line.text);
    if (!match) return undefined;
    const header = headerPath(match[1]!);
    return header.length >= path.length && path.every((segment, i) => header[i] === segment);
  };
  const first = lines.findIndex((line) => ours(line) === true);
  if (first === -1) return undefined;
  let next = lines.findIndex((line, i) => i > first && ours(line) === false);
  if (next === -1) next = lines.length;
  let last = next - 1;
  while (last > first && !lines[last]!.inString && (lines[last]!.text.trim() === '' || lines[last]!.text.trim().startsWith('#'))) last--;
  return { start: lines[first]!.start, end: lines[last]!.end };
}
