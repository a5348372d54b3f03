import type { JsonRpcId } from '../gateway/index.js';
import { RequestIdScanner } from './request-id-scanner.js';

/**
 * Splits a byte stream into lines ('\n', a '\r' before it dropped; the last line may end with the
 * stream) in linear time, never holding more than `maxBytes` of one line: a longer line is
 * discarded as it arrives, up to its newline, its bytes going through a `RequestIdScanner` only,
 * and reported once it ends (`onOverlong` with the id of the request it held and the line's
 * length), so the next line is read as usual. Lines are decoded as UTF-8 (invalid bytes become U+FFFD, as `readline` does).
 */
export class BoundedLines {
  private pieces: Buffer[] = [];
  private pending = 0;
  /** Set while an overlong line is being discarded. */
  private skipping: { ids: RequestIdScanner; bytes: number } | undefined;

  constructor(
    /** Bytes of one line, its line break not counted. */
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: (id: JsonRpcId, bytes: number) => void,
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
      this.skipping.ids.feed(bytes);
      this.skipping.bytes += bytes.length;
      if (ends) this.finishOverlong();
      return;
    }
    const length = ends && bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    if (this.pending + length > this.maxBytes) {
      const ids = new RequestIdScanner();
      for (const piece of this.pieces) ids.feed(piece);
      ids.feed(bytes);
      this.skipping = { ids, bytes: this.pending + length };
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

  private finishOverlong(): void {
    const { ids, bytes } = this.skipping!;
    this.skipping = undefined;
    this.onOverlong(ids.result(), bytes);
  }
}
