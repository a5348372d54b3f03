import type { JsonRpcId } from '../gateway/index.js';

/** How much of an overlong line's start is kept to read its id from. */
const HEAD_BYTES = 1024;

/**
 * Splits a byte stream into lines ('\n', a '\r' before it dropped; the last line may end with the
 * stream) in linear time, never holding more than `maxBytes` of one line: a longer line is
 * discarded as it arrives, up to its newline, keeping only its first `HEAD_BYTES`, and reported
 * once it ends (`onOverlong` with that start and the line's length), so the next line is read as
 * usual. Lines are decoded as UTF-8 (invalid bytes become U+FFFD, as `readline` does).
 */
export class BoundedLines {
  private pieces: Buffer[] = [];
  private pending = 0;
  /** Set while an overlong line is being discarded. */
  private skipping: { head: Buffer; bytes: number } | undefined;

  constructor(
    /** Bytes of one line, its line break not counted. */
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: (head: string, bytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.piece(chunk.subarray(start, newline), true);
      start = newline + 1;
    }
    if (start < chunk.length) this.piece(chunk.subarray(start), false);
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.skipping || this.pending > 0) this.piece(Buffer.alloc(0), true);
  }

  private piece(bytes: Buffer, ends: boolean): void {
    if (this.skipping) {
      this.skipping.bytes += bytes.length;
      if (ends) this.finishOverlong();
      return;
    }
    const length = ends && bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    if (this.pending + length > this.maxBytes) {
      this.skipping = { head: this.head(bytes), bytes: this.pending + length };
      this.pieces = [];
      this.pending = 0;
      if (ends) this.finishOverlong();
      return;
    }
    if (!ends) {
      // Copied: `bytes` may be a slice of a pooled buffer that Node reuses.
      this.pieces.push(Buffer.from(bytes));
      this.pending += bytes.length;
      return;
    }
    let line = bytes.subarray(0, length);
    if (this.pieces.length > 0) {
      line = Buffer.concat([...this.pieces, line]);
      this.pieces = [];
      this.pending = 0;
      if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1); // a '\r' at the end of the last chunk
    }
    this.onLine(line.toString('utf8'));
  }

  /** The first `HEAD_BYTES` of the pending pieces followed by `bytes`, copied. */
  private head(bytes: Buffer): Buffer {
    const parts: Buffer[] = [];
    let size = 0;
    for (const part of [...this.pieces, bytes]) {
      if (size >= HEAD_BYTES) break;
      parts.push(part.subarray(0, HEAD_BYTES - size));
      size += Math.min(part.length, HEAD_BYTES - size);
    }
    return Buffer.concat(parts);
  }

  private finishOverlong(): void {
    const { head, bytes } = this.skipping!;
    this.skipping = undefined;
    this.onOverlong(head.toString('utf8'), bytes);
  }
}

const KEY = /\s*"((?:[^"\\]|\\.)*)"\s*:\s*/y;
const PRIMITIVE = /("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)\s*([,}])/y;

/**
 * The id of the JSON-RPC request a line starts, read from its first members only (an overlong
 * line is never parsed whole): the top-level members are walked while their values are strings,
 * numbers, booleans or null, so `{"jsonrpc":"2.0","id":7,"method":…,"params":{…` gives 7. Null
 * when the id comes after a member that is an object or array, when the text is not a JSON object,
 * or when the line is a response (`result` or `error`), which is not answered.
 */
export function leadingId(head: string): JsonRpcId {
  const open = /^\s*\{/.exec(head);
  if (!open) return null;
  let at = open[0].length;
  let id: JsonRpcId = null;
  for (;;) {
    KEY.lastIndex = at;
    const key = KEY.exec(head);
    if (!key) return id;
    if (key[1] === 'result' || key[1] === 'error') return null;
    PRIMITIVE.lastIndex = KEY.lastIndex;
    const value = PRIMITIVE.exec(head);
    if (!value) return id;
    if (key[1] === 'id') {
      const parsed = JSON.parse(value[1]!) as unknown;
      id = typeof parsed === 'string' || typeof parsed === 'number' ? parsed : null;
    }
    if (value[2] === '}') return id;
    at = PRIMITIVE.lastIndex;
  }
}
