import { isMap, isScalar, isSeq, Lexer, parseDocument, stringify, type Document, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { GatewayError } from '../errors.js';
import { cannotParse, depthGuarded, eolOf, MAX_CONFIG_DEPTH, tooDeep, type ConfigFormat } from './format.js';

/**
 * YAML (Continue's config.yaml, whose `mcpServers` is a list of items with a `name`): yaml parses
 * the document and gives each item's offsets; our item is rendered with its `stringify` and
 * spliced into the original text, because `Document.toString()` re-flows what it did not change
 * (comment spacing, flow lists). Only a top-level block list is edited.
 */
const plainYamlFormat: ConfigFormat = {
  entries(text, key, file) {
    const list = listOf(parseYaml(text, file), key, file);
    const out: Record<string, unknown> = {};
    for (const item of list?.items ?? []) {
      if (!isMap(item)) continue;
      const { name, ...rest } = item.toJSON() as Record<string, unknown>;
      if (typeof name === 'string') out[name] = rest;
    }
    return out;
  },
  put(text, key, name, value, file) {
    const doc = parseYaml(text, file);
    const eol = eolOf(text);
    const list = listOf(doc, key, file);
    const item = (indent: string) => indentLines(stringify([{ name, ...value }], { indent: 2 }).trimEnd(), indent, eol) + eol;
    if (!list || list.items.length === 0) {
      const pair = pairOf(doc, key[0]!);
      const block = `${key[0]}:${eol}${item('  ')}`;
      if (pair) {
        const [start, end] = lineSpan(text, (pair.key as { range: number[] }).range[0]!, (pair.value as { range?: number[] } | null)?.range?.[1] ?? 0);
        return text.slice(0, start) + block + text.slice(end);
      }
      return text === '' ? block : text + (text.endsWith('\n') ? '' : eol) + block;
    }
    const existing = findItem(list, name);
    const column = lineIndentAt(text, rangeOf(list.items[0])[0]);
    if (existing) {
      const [start, end] = lineSpan(text, existing.range![0], existing.range![1]);
      return text.slice(0, start) + item(column) + text.slice(end);
    }
    const last = list.items[list.items.length - 1]!;
    const [, end] = lineSpan(text, rangeOf(last)[0], rangeOf(last)[1]);
    const glue = end === text.length && !text.endsWith('\n') ? eol : '';
    return text.slice(0, end) + glue + item(column) + text.slice(end);
  },
  remove(text, key, name, file) {
    const doc = parseYaml(text, file);
    const list = listOf(doc, key, file);
    const existing = list && findItem(list, name);
    if (!list || !existing) return text;
    if (list.items.length === 1) {
      const pair = pairOf(doc, key[0]!)!;
      const [start, end] = lineSpan(text, (pair.key as { range: number[] }).range[0]!, list.range![1]);
      return text.slice(0, start) + text.slice(end);
    }
    const [start, end] = lineSpan(text, existing.range![0], existing.range![1]);
    return text.slice(0, start) + text.slice(end);
  },
  blank(text) {
    // `---` alone is a document (an explicit null), not blank: it stays refused as not a mapping.
    const doc = parseDocument(text);
    return doc.errors.length === 0 && doc.contents === null;
  },
};

/** YAML behind the depth check (format.ts). */
export const yamlFormat: ConfigFormat = depthGuarded(plainYamlFormat, flowTooDeepAt);

/** The lexer's control tokens, which stand for no text of the source (everything else is source). */
const CONTROL = new Set(['\x02', '\x18', '\x1f']);

/**
 * Where flow collections (`[` and `{`) first nest deeper than `MAX_CONFIG_DEPTH`, by yaml's own
 * lexer (iterative, and it knows which quote starts a string and which `#` a comment, which a hand
 * scan of YAML does not). This must run before parseDocument: parsing a flow nest 5,000 deep a
 * second time killed the whole process (V8 ran out of memory), no exception to catch.
 */
function flowTooDeepAt(text: string): number | undefined {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > MAX_CONFIG_DEPTH) return offset;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
    if (!CONTROL.has(token)) offset += token.length;
  }
  return undefined;
}

function parseYaml(text: string, file: string): Document {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  // Block nesting (indentation, `- - -`) has no brackets to count; yaml catches its own stack overflow.
  if (error && /call stack/i.test(error.message)) throw tooDeep(file, text, error.pos[0]);
  if (error)
    throw cannotParse(
      file,
      error.linePos?.[0]?.line ?? 1,
      error.linePos?.[0]?.col ?? 1,
      error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    );
  if (doc.contents !== null && !isMap(doc.contents)) throw cannotParse(file, 1, 1, 'the top level is not a mapping');
  return doc;
}

function pairOf(doc: Document, key: string): Pair | undefined {
  return (doc.contents as YAMLMap | null)?.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
}

function listOf(doc: Document, key: readonly string[], file: string): YAMLSeq | undefined {
  const value = pairOf(doc, key[0]!)?.value;
  if (value === undefined || value === null || (isScalar(value) && value.value === null)) return undefined;
  if (!isSeq(value)) throw cannotParse(file, 1, 1, `"${key[0]}" is not a list`);
  if (value.flow && value.items.length > 0)
    throw new GatewayError(
      'unprocessable',
      `${file} writes "${key[0]}" as a flow list ([…]); MCPlexer edits only a block list (one "- name: …" item per server)`,
      {
        details: [{ path: file, message: `${key[0]} is a flow list` }],
      },
    );
  return value;
}

function findItem(list: YAMLSeq, name: string): YAMLMap | undefined {
  return list.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === name);
}

/** The whole lines holding [from, to): from the start of the first to past the line ending of the last with content. */
function lineSpan(text: string, from: number, to: number): [number, number] {
  const start = text.lastIndexOf('\n', from - 1) + 1;
  let last = to;
  while (last > from && /\s/.test(text[last - 1]!)) last--;
  const newline = text.indexOf('\n', last);
  return [start, newline === -1 ? text.length : newline + 1];
}

function lineIndentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const dash = text.slice(start, offset).match(/^[ \t]*/)![0];
  return dash;
}

function indentLines(block: string, indent: string, eol: string): string {
  return block
    .split('\n')
    .map((line) => indent + line)
    .join(eol);
}

function rangeOf(node: unknown): [number, number] {
  const range = (node as { range?: [number, number, number] }).range;
  return range ? [range[0], range[1]] : [0, 0];
}
