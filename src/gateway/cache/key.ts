import { createHash } from 'node:crypto';

/** Deeper arguments are not cached (their key would cost more than the call is worth). */
const MAX_DEPTH = 64;

/**
 * The canonical JSON of a call's arguments: object keys sorted (by UTF-16 code units, as
 * `Array.prototype.sort`), arrays in order, no whitespace; what `JSON.stringify` leaves out
 * (`undefined`, functions) is left out here too. So `{"a":1,"b":2}` and `{"b":2,"a":1}` are one
 * key (the original hashed the raw bytes: ORIGINAL.md "Known flaws").
 *
 * @param args the forwarded arguments (undefined is the same as `{}`)
 * @returns the text, or undefined when the value is deeper than 64 levels or not JSON (a cycle, a BigInt)
 */
export function canonicalJson(args: Record<string, unknown> | undefined): string | undefined {
  if (args === undefined) return '{}';
  try {
    return write(args, 0);
  } catch (error) {
    if (error instanceof TooDeep || error instanceof TypeError) return undefined;
    throw error;
  }
}

/** Canonical texts up to this many characters are their own key: a SHA-256 costs more (~3 µs a call). */
export const LITERAL_KEY_CHARS = 64;

/**
 * The key part of the arguments: their canonical JSON itself after `=` when it is short (64
 * characters or fewer), else its SHA-256, base64url (43 characters). `=` never starts a base64url
 * digest, so a literal key cannot equal a hashed one.
 *
 * @returns undefined when the arguments have no canonical form (see `canonicalJson`): such a call is not cached
 */
export function argumentsKey(args: Record<string, unknown> | undefined): string | undefined {
  const text = canonicalJson(args);
  if (text === undefined) return undefined;
  return text.length <= LITERAL_KEY_CHARS ? `=${text}` : createHash('sha256').update(text).digest('base64url');
}

class TooDeep extends Error {}

function write(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (depth >= MAX_DEPTH) throw new TooDeep();
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (write(value[i], depth + 1) ?? 'null');
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const text = write(record[key], depth + 1);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}
