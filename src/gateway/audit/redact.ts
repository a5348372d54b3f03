/**
 * STAND-IN written by the approvals part of issue 17 so that approvals can redact the arguments it
 * shows; the audit part owns this file and replaces it with the full redaction (every key word and
 * value shape of the issue, a scope's `redaction_hints`, configured words). Same signature.
 */

export const REDACTED = '[REDACTED]';

const SECRET_WORDS = new Set(['token', 'key', 'secret', 'password', 'passphrase', 'authorization', 'cookie', 'credential', 'credentials', 'bearer', 'apikey']);

const SECRET_VALUES: RegExp[] = [
  /^\s*bearer\s+\S+/i,
  /authorization\s*[:=]\s*\S+/i,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bsk-[A-Za-z0-9_-]{16,}/,
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{8,}/,
  /\bglpat-[A-Za-z0-9_-]{16,}/,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/,
  /\bAIza[0-9A-Za-z_-]{30,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** The words of a key: split at `_ - .` and camelCase, lower-cased (`apiKey` → api, key). */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/**
 * A copy of `value` with secrets replaced by `"[REDACTED]"`: a value under a key one of whose
 * words names a secret (or is one of `hints`), and a string shaped like a credential; recursive
 * through objects and arrays. Never modifies `value`.
 */
export function redactArguments(value: unknown, hints: string[] = []): unknown {
  const extra = new Set(hints.map((hint) => hint.toLowerCase()));
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return SECRET_VALUES.some((shape) => shape.test(item)) ? REDACTED : item;
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item !== 'object' || item === null) return item;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(item)) {
      const secret = keyWords(key).some((word) => SECRET_WORDS.has(word) || extra.has(word)) || extra.has(key.toLowerCase());
      out[key] = secret ? REDACTED : walk(child);
    }
    return out;
  };
  return walk(value);
}
