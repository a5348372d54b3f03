import { applyEdits, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Edit, type Node, type ParseError } from 'jsonc-parser';
import { GatewayError } from '../errors.js';
import { bracketsTooDeepAt, cannotParse, depthGuarded, eolOf, positionOf, type ConfigFormat } from './format.js';

/**
 * JSON and JSONC (comments, trailing commas) edited in place with jsonc-parser: the text is parsed
 * to find offsets, and the edits touch only our entry's own lines. jsonc-parser's `modify` with
 * formatting options reformats the lines it touches (a sibling entry sharing the insertion line is
 * re-indented), so the insertion text is built here and applied with its `applyEdits`.
 */
const plainJsonFormat: ConfigFormat = {
  entries(text, key, file) {
    const root = parseRoot(text, file);
    if (root) refuseDuplicates(text, root, key, file);
    const container = root && findNodeAtLocation(root, [...key]);
    if (!container) return {};
    if (container.type !== 'object') throw notAnObject(text, file, key, container);
    return getNodeValue(container) as Record<string, unknown>;
  },
  put(text, key, name, value, file) {
    const root = parseRoot(text, file);
    if (!root) return JSON.stringify(nest(key, name, value), null, 2) + '\n';
    const style = styleOf(text, root);
    let node = root;
    const path = [...key, name];
    for (let i = 0; i < path.length; i++) {
      const property = node.children?.find((child) => child.children?.[0]?.value === path[i]);
      if (!property) return applyEdits(text, insertProperty(text, node, path[i]!, nest(path.slice(i + 1), undefined, value), style));
      const child = property.children![1]!;
      if (i === path.length - 1) {
        const indent = lineIndent(text, property.offset);
        return applyEdits(text, [{ offset: child.offset, length: child.length, content: render(value, indent, style) }]);
      }
      if (child.type !== 'object') throw notAnObject(text, file, path.slice(0, i + 1), child);
      node = child;
    }
    return text;
  },
  remove(text, key, name, file) {
    const root = parseRoot(text, file);
    let property = root && findNodeAtLocation(root, [...key, name])?.parent;
    if (!property) return text;
    // A container our entry leaves empty goes too (up to, not including, the root).
    while (property.parent && property.parent !== root && soleContent(text, property.parent)) property = property.parent.parent!;
    return applyEdits(text, removeProperty(text, property));
  },
};

interface Style {
  unit: string;
  eol: string;
}

function parseRoot(text: string, file: string): Node | undefined {
  if (text.trim() === '') return undefined;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length || !root) {
    const first = errors[0] ?? { offset: 0, error: 0 };
    const { line, column } = positionOf(text, first.offset);
    throw cannotParse(file, line, column, errors.length ? printParseErrorCode(first.error) : 'no JSON value');
  }
  if (root.type !== 'object') throw notAnObject(text, file, [], root);
  return root;
}

/**
 * Refuses a key written twice on the way to the servers or among them: parsers differ on which one
 * counts (JSON.parse keeps the last, an edit found the first), so neither reading nor editing is safe.
 * @throws GatewayError `unprocessable` naming the key and both lines
 */
function refuseDuplicates(text: string, root: Node, key: readonly string[], file: string): void {
  let node: Node | undefined = root;
  for (let depth = 0; node?.type === 'object' && depth <= key.length; depth++) {
    const where = depth === 0 ? 'at the top level' : `in "${key.slice(0, depth).join('.')}"`;
    const seen = new Map<string, Node>();
    for (const property of node.children ?? []) {
      const name = property.children?.[0]?.value as string;
      const first = seen.get(name);
      // On the way down only the next segment matters; among the servers, every name.
      if (first && (depth === key.length || name === key[depth])) {
        const [a, b] = [positionOf(text, first.offset), positionOf(text, property.offset)];
        throw new GatewayError(
          'unprocessable',
          `${file}: "${name}" appears twice ${where} (lines ${a.line} and ${b.line}); clients read only one of them. MCPlexer left it untouched: remove one and try again`,
          { details: [{ path: `${file}:${b.line}:${b.column}`, message: `"${name}" appears twice` }] },
        );
      }
      seen.set(name, property);
    }
    if (depth === key.length) break;
    node = (node.children ?? []).find((property) => property.children?.[0]?.value === key[depth])?.children?.[1];
  }
}

function notAnObject(text: string, file: string, key: readonly string[], node: Node) {
  const { line, column } = positionOf(text, node.offset);
  return cannotParse(
    file,
    line,
    column,
    `${key.length ? `"${key.join('.')}"` : 'the top level'} is ${node.type === 'array' ? 'an array' : `a ${node.type}`}, not an object`,
  );
}

/** `{k1: {k2: {name: value}}}` for the part of the path that does not exist yet. */
function nest(key: readonly string[], name: string | undefined, value: unknown): unknown {
  let inner: unknown = name === undefined ? value : { [name]: value };
  for (const segment of [...key].reverse()) inner = { [segment]: inner };
  return inner;
}

/** The file's indentation unit (that of the first top-level property on its own line; default 2 spaces) and line ending. */
function styleOf(text: string, root: Node): Style {
  const first = root.children?.[0];
  const indent = first ? lineIndent(text, first.offset) : '';
  return { unit: indent === '' ? '  ' : indent, eol: eolOf(text) };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The whitespace before `offset` on its line, or '' when something else precedes it there. */
function lineIndent(text: string, offset: number): string {
  const before = text.slice(lineStart(text, offset), offset);
  return /^[ \t]*$/.test(before) ? before : '';
}

function render(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit)
    .split('\n')
    .join(style.eol + indent);
}

/** After a value: the offset past the spaces and an optional comma (and whether there was one). */
function afterComma(text: string, end: number): { comma: number | undefined; end: number } {
  let i = end;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === ',' ? { comma: i, end: i + 1 } : { comma: undefined, end };
}

/** The end of a line's content after `from`, past a trailing comment (before the line ending). */
function contentLineEnd(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text.startsWith('//', i)) return text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i) - (text[text.indexOf('\n', i) - 1] === '\r' ? 1 : 0);
  if (text.startsWith('/*', i)) {
    const close = text.indexOf('*/', i);
    const eol = text.indexOf('\n', i);
    if (close !== -1 && (eol === -1 || close < eol)) return contentLineEnd(text, close + 2);
  }
  return from;
}

/**
 * Adds `"name": value` as the object's last property, on its own line indented like its siblings.
 * A trailing-comma style is kept (our property gets one too), and a comment ending the last
 * sibling's line stays on that line.
 */
function insertProperty(text: string, object: Node, name: string, value: unknown, style: Style): Edit[] {
  const children = object.children ?? [];
  const objectIndent = lineIndent(text, object.offset) || lineIndent(text, object.parent?.offset ?? object.offset);
  if (children.length === 0) {
    const childIndent = objectIndent + style.unit;
    const open = object.offset + 1;
    const close = object.offset + object.length - 1;
    const interior = text.slice(open, close);
    const entry = `${style.eol}${childIndent}${JSON.stringify(name)}: ${render(value, childIndent, style)}`;
    // An interior of only whitespace is replaced; one with comments keeps them after our entry.
    if (interior.trim() === '') return [{ offset: open, length: close - open, content: `${entry}${style.eol}${objectIndent}` }];
    return [{ offset: open, length: 0, content: entry }];
  }
  const last = children[children.length - 1]!;
  const childIndent = lineIndent(text, children[0]!.offset) || objectIndent + style.unit;
  const after = afterComma(text, last.offset + last.length);
  const at = contentLineEnd(text, after.end);
  const entry = `${style.eol}${childIndent}${JSON.stringify(name)}: ${render(value, childIndent, style)}${after.comma === undefined ? '' : ','}`;
  const edits: Edit[] = [{ offset: at, length: 0, content: entry }];
  if (after.comma === undefined) edits.unshift({ offset: last.offset + last.length, length: 0, content: ',' });
  return edits;
}

/** Whether a property is all its object holds (nothing else inside the braces but whitespace). */
function soleContent(text: string, object: Node): boolean {
  const property = object.children?.[0];
  if (object.type !== 'object' || object.children?.length !== 1 || !property) return false;
  const after = afterComma(text, property.offset + property.length).end;
  return text.slice(object.offset + 1, property.offset).trim() === '' && text.slice(after, object.offset + object.length - 1).trim() === '';
}

/** The edits that take a property out, with its own line and the comma that separated it (the inverse of insertProperty). */
function removeProperty(text: string, property: Node): Edit[] {
  const object = property.parent!;
  const siblings = object.children!;
  const index = siblings.indexOf(property);
  const end = property.offset + property.length;
  const own = afterComma(text, end);
  if (siblings.length === 1 && soleContent(text, object)) {
    const open = object.offset + 1;
    return [{ offset: open, length: object.offset + object.length - 1 - open, content: '' }];
  }
  const start = lineStart(text, property.offset);
  const ownLine = lineIndent(text, property.offset) !== '' || start === property.offset;
  if (index < siblings.length - 1) {
    const next = siblings[index + 1]!;
    const lineEnd = contentLineEnd(text, own.end);
    const eol = text.startsWith('\r\n', lineEnd) ? 2 : text[lineEnd] === '\n' ? 1 : 0;
    if (ownLine && lineEnd === own.end && eol) return [{ offset: start, length: lineEnd + eol - start, content: '' }];
    return [{ offset: property.offset, length: next.offset - property.offset, content: '' }];
  }
  if (index === 0) {
    // The only property, with comments around it: only the property goes.
    const from = ownLine ? start : property.offset;
    return [{ offset: from, length: own.end - from, content: '' }];
  }
  const previous = siblings[index - 1]!;
  const previousComma = afterComma(text, previous.offset + previous.length);
  const edits: Edit[] = [];
  // A comma after our property means a trailing-comma style: the previous comma stays.
  if (own.comma === undefined && previousComma.comma !== undefined) edits.push({ offset: previousComma.comma, length: 1, content: '' });
  const lineBreak = ownLine && start > 0 ? start - (text[start - 2] === '\r' ? 2 : 1) : property.offset;
  const from = Math.max(lineBreak, previousComma.end);
  edits.push({ offset: from, length: own.end - from, content: '' });
  return edits;
}

const BOM = '\uFEFF';

/**
 * JSON and JSONC config files, a UTF-8 byte order mark included: it is set aside for the edit and
 * put back, as everything else in the file is kept (RFC 8259 §8.1 lets a parser ignore it; an
 * editor on Windows may write one). A trial's file with one was refused as "InvalidSymbol" at
 * line 1, column 1, a message that did not say what was wrong.
 */
export const jsonFormat: ConfigFormat = depthGuarded(
  {
    entries: (text, key, file) => plainJsonFormat.entries(text.startsWith(BOM) ? text.slice(1) : text, key, file),
    put: (text, key, name, value, file) =>
      text.startsWith(BOM) ? BOM + plainJsonFormat.put(text.slice(1), key, name, value, file) : plainJsonFormat.put(text, key, name, value, file),
    remove: (text, key, name, file) =>
      text.startsWith(BOM) ? BOM + plainJsonFormat.remove(text.slice(1), key, name, file) : plainJsonFormat.remove(text, key, name, file),
  },
  (text) => bracketsTooDeepAt(text, 'json'),
);
