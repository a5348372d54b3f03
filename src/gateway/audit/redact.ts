import { hasSecretShape, hasSecretWord, keyWords, literalMatcher, REDACTED, redactShapes } from '../redaction/index.js';

export { keyWords, REDACTED };
export { SECRET_KEY_WORDS } from '../redaction/index.js';

/** Deeper than this, a value is hidden whole: arguments come from JSON, so this is only a guard. */
const MAX_DEPTH = 64;

/** What else marks a secret for one call: the auth scope's `redaction_hints`, configured words, the scope's literal values. */
export interface RedactionContext {
  /** Words or phrases (`client_secret` counts as the words client, secret in a row). */
  hints?: readonly string[];
  /** Literal secret values (the auth scope's): a string containing one is hidden whole. */
  values?: readonly string[];
}

/** A prepared redactor for one context; reuse it across the rows that share the context. */
export class ArgumentRedactor {
  private readonly phrases: string[][];
  private readonly literals: RegExp | undefined;
  /** Keys repeat from call to call: each is split and judged once per redactor. */
  private readonly keys = new Map<string, boolean>();
  /** Whether a key has a secret's shape itself (it is renamed), judged once per key as well. */
  private readonly keyShapes = new Map<string, boolean>();

  constructor(context: RedactionContext = {}) {
    this.phrases = (context.hints ?? []).map(keyWords).filter((words) => words.length > 0);
    this.literals = literalMatcher(context.values ?? []);
  }

  /** Whether a key names a secret: one of its words is a secret word (or its plural), or it holds a hint's words in a row. */
  isSecretKey(key: string): boolean {
    let secret = this.keys.get(key);
    if (secret === undefined) {
      const words = keyWords(key);
      secret = hasSecretWord(words) || this.phrases.some((phrase) => containsRun(words, phrase));
      if (this.keys.size < 10_000) this.keys.set(key, secret);
    }
    return secret;
  }

  /** Whether a string value is (or holds) a secret: a known shape or one of the literal values. */
  isSecretValue(value: string): boolean {
    if (this.literals) {
      this.literals.lastIndex = 0;
      if (this.literals.test(value)) return true;
    }
    return hasSecretShape(value);
  }

  private isSecretKeyShape(key: string): boolean {
    let secret = this.keyShapes.get(key);
    if (secret === undefined) {
      secret = this.isSecretValue(key);
      if (this.keyShapes.size < 10_000) this.keyShapes.set(key, secret);
    }
    return secret;
  }

  /**
   * A redacted copy of `value`: under a secret key the whole value (object and array included)
   * becomes `"[REDACTED]"`; a string holding a secret becomes `"[REDACTED]"` whole; objects and
   * arrays are walked recursively; a key that is itself a secret is renamed. `value` is not modified.
   */
  redact(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.isSecretValue(value) ? REDACTED : value;
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(value)) return value.map((item) => this.redact(item, depth + 1));
    const out: Record<string, unknown> = {};
    let hiddenKeys = 0;
    for (const [key, item] of Object.entries(value)) {
      const name = this.isSecretKeyShape(key) ? `${REDACTED}${++hiddenKeys > 1 ? `#${hiddenKeys}` : ''}` : key;
      const redacted = this.isSecretKey(key) ? REDACTED : this.redact(item, depth + 1);
      // A `__proto__` key from JSON is data: define it rather than set the prototype.
      if (name === '__proto__') Object.defineProperty(out, name, { value: redacted, enumerable: true, writable: true, configurable: true });
      else out[name] = redacted;
    }
    return out;
  }

  /** A message with every secret span hidden (an error message keeps its words around the secret). */
  redactText(text: string): string {
    return redactShapes(this.literals ? text.replace(this.literals, REDACTED) : text);
  }
}

function containsRun(words: string[], phrase: string[]): boolean {
  outer: for (let start = 0; start + phrase.length <= words.length; start++) {
    for (let i = 0; i < phrase.length; i++) if (words[start + i] !== phrase[i]) continue outer;
    return true;
  }
  return false;
}

/**
 * Redacts a call's arguments before anything keeps them (the audit trail, its stream, an approval
 * request): keys by word, string values by shape, recursively; returns a new value.
 *
 * @param value the arguments as forwarded (any JSON value)
 * @param hints the auth scope's `redaction_hints` and configured words (words or phrases)
 */
export function redactArguments(value: unknown, hints?: string[]): unknown {
  return new ArgumentRedactor({ hints }).redact(value);
}
