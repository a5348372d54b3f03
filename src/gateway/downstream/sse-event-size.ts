/**
 * The size of the SSE event being read, across chunks: the bytes since the last event boundary
 * (a blank line; line breaks `\n`, `\r\n` or `\r`, per the HTML Living Standard's "Server-sent
 * events" parsing), line breaks not counted. A stream of many small events never grows it; one
 * event past the limit is seen at the chunk that takes it over, before any parser has assembled it.
 */
export class SseEventSize {
  /** Bytes of the current event's lines so far. */
  bytes = 0;
  /** The last byte read ended a line (true at the start: a leading blank line is a boundary too). */
  lineStart = true;
  /** The last byte read was '\r': a '\n' right after it ends no further line. */
  private afterCr = false;

  /**
   * Reads one chunk. Returns false as soon as the current event exceeds `limit` bytes (then
   * `bytes` is at least the bytes seen of it), true when the whole chunk fits.
   */
  feed(chunk: Uint8Array, limit: number): boolean {
    // Most servers break lines with '\n' only: one native scan per line.
    return chunk.indexOf(13) === -1 ? this.feedLf(chunk, limit) : this.feedAny(chunk, limit);
  }

  private feedLf(chunk: Uint8Array, limit: number): boolean {
    let start = this.afterCr && chunk[0] === 10 ? 1 : 0;
    this.afterCr = false;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      if (newline === start && this.lineStart) this.bytes = 0;
      else if ((this.bytes += newline - start) > limit) return false;
      this.lineStart = true;
      start = newline + 1;
    }
    if (start === chunk.length) return true;
    this.lineStart = false;
    return (this.bytes += chunk.length - start) <= limit;
  }

  private feedAny(chunk: Uint8Array, limit: number): boolean {
    for (const byte of chunk) {
      if (byte === 10 && this.afterCr) {
        this.afterCr = false;
        continue;
      }
      this.afterCr = byte === 13;
      if (byte === 10 || byte === 13) {
        if (this.lineStart) this.bytes = 0;
        this.lineStart = true;
      } else {
        this.lineStart = false;
        if (++this.bytes > limit) return false;
      }
    }
    return true;
  }
}
