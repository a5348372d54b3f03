import type { JsonRpcId } from '../gateway/index.js';

/** The longest top-level key or primitive value kept while scanning (an id longer than this reads as none). */
const MAX_TOKEN_BYTES = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * Reads the id of the JSON-RPC request a text holds while its bytes go by, holding none of them
 * but a top-level key or primitive value at a time (at most `MAX_TOKEN_BYTES`): for a line too long
 * to keep, whose id may come anywhere, even after megabytes of `params` (JSON-RPC 2.0 §5: an error
 * answers the request's id; null only when it cannot be read). The top-level object's members are
 * followed; values below it are skipped by their brackets and strings. A later `"id"` wins, as
 * `JSON.parse` keeps the last of two equal keys. Bytes, not characters: UTF-8's multi-byte
 * sequences never contain the ASCII bytes that give JSON its structure.
 */
export class RequestIdScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  /** What the top-level object's current member is at. */
  private phase: 'key' | 'colon' | 'value' | 'after' = 'key';
  /** The bytes of the top-level key or value being read (undefined: none is). */
  private token: number[] | undefined;
  private tokenIsString = false;
  /** The token went over `MAX_TOKEN_BYTES`: it is read to its end, its text dropped. */
  private overflow = false;
  private key: string | undefined;
  private id: JsonRpcId = null;
  private response = false;
  private broken = false;

  /** Takes the next bytes of the text. */
  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length && !this.broken; i++) this.byte(bytes[i]!);
  }

  /** The request's id once the whole text went by: null when there is none to read, or the text is a response. */
  result(): JsonRpcId {
    if (this.token && !this.tokenIsString && this.depth === 1) this.endValue(); // a number cut by the end of the text
    return this.broken || this.response ? null : this.id;
  }

  private byte(b: number): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === QUOTE) {
        this.inString = false;
        if (this.depth === 1) this.endString(); // a key or a value (a string below depth 1 is skipped)
        return;
      }
      this.keep(b);
      return;
    }
    if (!this.started) {
      if (isSpace(b)) return;
      if (b !== OPEN_BRACE) return void (this.broken = true); // not an object: not a request
      this.started = true;
      this.depth = 1;
      return;
    }
    if (this.depth > 1) {
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth += 1;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) this.depth -= 1;
      return;
    }
    if (this.depth !== 1) return; // after the object's end
    if (this.token && !this.tokenIsString) {
      // A primitive value (number, true, false, null) runs until what ends it.
      if (isSpace(b) || b === COMMA || b === CLOSE_BRACE) this.endValue();
      else return this.keep(b);
    }
    if (isSpace(b)) return;
    switch (this.phase) {
      case 'key':
        if (b === QUOTE) this.startToken(true);
        else if (b === CLOSE_BRACE) this.depth = 0;
        return;
      case 'colon':
        if (b === COLON) this.phase = 'value';
        return;
      case 'value':
        if (b === QUOTE) this.startToken(true);
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          this.depth += 1;
          this.memberValue(undefined);
        } else {
          this.startToken(false);
          this.keep(b);
        }
        return;
      case 'after':
        if (b === COMMA) this.phase = 'key';
        else if (b === CLOSE_BRACE) this.depth = 0;
    }
  }

  private startToken(isString: boolean): void {
    this.token = [];
    this.tokenIsString = isString;
    this.overflow = false;
    if (isString) this.inString = true;
  }

  private keep(b: number): void {
    if (!this.token || this.overflow) return;
    if (this.token.length < MAX_TOKEN_BYTES) this.token.push(b);
    else this.overflow = true; // too long to be an id (or a key that matters)
  }

  /** The token's text (a string's with its escapes undone), undefined when it overflowed or is not valid JSON. */
  private take(): string | number | undefined {
    const bytes = this.token!;
    this.token = undefined;
    if (this.overflow) return undefined;
    const text = Buffer.from(bytes).toString('utf8');
    try {
      const value = JSON.parse(this.tokenIsString ? `"${text}"` : text) as unknown;
      return typeof value === 'string' || typeof value === 'number' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  private endString(): void {
    const value = this.take(); // a string at depth 1 is always a token: startToken opened it
    if (this.phase === 'key') {
      this.key = typeof value === 'string' ? value : undefined;
      this.phase = 'colon';
    } else this.memberValue(value);
  }

  private endValue(): void {
    this.memberValue(this.take());
  }

  /** A top-level member's value: a string or number (the candidates for an id), or anything else. */
  private memberValue(value: string | number | undefined): void {
    if (this.key === 'id') this.id = value ?? null;
    if (this.key === 'result' || this.key === 'error') this.response = true;
    this.key = undefined;
    this.phase = 'after';
  }
}
