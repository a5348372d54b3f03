import { parse, stringify, TomlError } from 'smol-toml';
import { GatewayError } from '../errors.js';
import { cannotParse, eolOf, type ConfigFormat } from './format.js';

/**
 * TOML (Codex's config.toml): smol-toml parses the file, and our table is written with its
 * `stringify` and spliced into the original text, because stringifying the whole file would drop
 * its comments and layout. Our entry is the block from its `[mcp_servers.mcplexer]` header (with
 * its sub-tables such as `[mcp_servers.mcplexer.env]`) to the next other table; an entry written
 * inline or as dotted keys is reported, never rewritten.
 */
export const tomlFormat: ConfigFormat = {
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

const HEADER = /^[ \t]*\[\[?([^\]]*)\]\]?[ \t]*(#.*)?$/;

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
  const lines: Array<{ start: number; end: number; text: string }> = [];
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push({ start, end, text: text.slice(start, newline === -1 ? text.length : newline).replace(/\r$/, '') });
    start = end;
  }
  const ours = (line: string) => {
    const match = HEADER.exec(line);
    if (!match) return undefined;
    const header = headerPath(match[1]!);
    return header.length >= path.length && path.every((segment, i) => header[i] === segment);
  };
  const first = lines.findIndex((line) => ours(line.text) === true);
  if (first === -1) return undefined;
  let next = lines.findIndex((line, i) => i > first && ours(line.text) === false);
  if (next === -1) next = lines.length;
  let last = next - 1;
  while (last > first && (lines[last]!.text.trim() === '' || lines[last]!.text.trim().startsWith('#'))) last--;
  return { start: lines[first]!.start, end: lines[last]!.end };
}
