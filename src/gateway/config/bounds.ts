/**
 * The bounds of every JSON value the gateway stores (REST bodies, the YAML config's items, what
 * discovery returns, the whole `config.json`), in one place. A value beyond them would make the
 * store's copy (`structuredClone`) or its serialisation (`JSON.stringify`) overflow the stack on
 * every later write, so it is refused (REST: 400 naming the field) or dropped (discovery) before
 * anything recursive sees it. The walk below is iterative: a body nested 100,000 levels is
 * measured, not recursed into. Documented in docs/configuration.md ("Limits of stored values").
 */
import { UNSTORABLE_KEYS } from '../../shared/schemas/index.js';
import { GatewayError } from '../errors.js';

export const STORED_VALUE_LIMITS = {
  /** Nesting levels of objects and arrays in one stored value (a body, a discovered item); `{}` is 1. */
  maxDepth: 64,
  /** UTF-8 bytes of one REST body (also the express body limit). */
  maxBodyBytes: 1024 * 1024,
  /** UTF-8 bytes of one discovered tool, prompt, resource or resource template, serialised. */
  maxItemBytes: 256 * 1024,
  /** UTF-8 bytes of all four discovered lists of one server together. */
  maxDiscoveredBytes: 8 * 1024 * 1024,
} as const;

// Defined beside the entity schemas (src/shared), which refuse such keys in a body's maps too.
export { UNSTORABLE_KEYS };

/** A violation when `key` cannot be stored, else undefined. */
export function unstorableKey(key: string, path: string): BoundsViolation | undefined {
  if (!UNSTORABLE_KEYS.has(key)) return undefined;
  return { path, message: `the key "${key}" cannot be stored (JavaScript reads it as the object's prototype); rename it` };
}

export interface BoundsViolation {
  /** Dotted JSON path of the offending value, relative to the walked value's `basePath`. */
  path: string;
  message: string;
}

/** Appends one segment to a dotted path (the form error details use). */
export function joinPath(base: string, segment: string | number): string {
  return base === '' ? String(segment) : `${base}.${segment}`;
}

/** The one wording of a depth refusal, for a REST body and an MCP message alike. */
export function tooDeepWording(maxDepth: number, what: string): string {
  return `nests deeper than ${maxDepth} levels of objects and arrays (the limit of ${what}); flatten it`;
}

interface Node {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Node | undefined;
}

/** The dotted path of a node, built only when a violation is reported (not per node walked). */
function pathOf(node: Node, basePath: string): string {
  const segments: Array<string | number> = [];
  for (let at: Node | undefined = node; at?.key !== undefined; at = at.parent) segments.push(at.key);
  return segments.reverse().reduce<string>((path, segment) => joinPath(path, segment), basePath);
}

/**
 * The first place where `value` nests deeper than `maxDepth` or holds an unstorable key, or
 * undefined. Iterative, O(nodes), stops at the first violation; never recurses.
 */
export function findBoundsViolation(value: unknown, basePath = '', maxDepth: number = STORED_VALUE_LIMITS.maxDepth): BoundsViolation | undefined {
  const stack: Node[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node.value !== 'object' || node.value === null) continue;
    const depth = node.depth + 1;
    if (depth > maxDepth) {
      return { path: pathOf(node, basePath), message: tooDeepWording(maxDepth, 'a stored value') };
    }
    if (Array.isArray(node.value)) {
      for (let i = node.value.length - 1; i >= 0; i--) stack.push({ value: node.value[i], depth, key: i, parent: node });
      continue;
    }
    const keys = Object.keys(node.value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const child: Node = { value: (node.value as Record<string, unknown>)[key], depth, key, parent: node };
      const bad = unstorableKey(key, '');
      if (bad) return { ...bad, path: pathOf(child, basePath) };
      stack.push(child);
    }
  }
  return undefined;
}

/**
 * Refuses a request body beyond the bounds, before any schema walks it.
 * @throws GatewayError `validation_failed` (400) whose detail names the JSON path and the limit.
 */
export function assertWithinBounds(value: unknown, basePath = ''): void {
  const violation = findBoundsViolation(value, basePath);
  if (!violation) return;
  const where = violation.path === '' ? 'request body' : violation.path;
  throw new GatewayError('validation_failed', `invalid request body: ${where}: ${violation.message}`, { details: [violation] });
}

/** UTF-8 bytes of a value's JSON form. Call only on values within the depth bound. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
