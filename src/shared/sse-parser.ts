/** One dispatched server-sent event: `type` is the `event:` field (`message` when absent). */
export interface SseMessage {
  /** The last event id seen on this stream (`id:` persists across events, as the spec says). */
  id: string;
  type: string;
  data: string;
}

/**
 * An incremental parser of `text/event-stream` (WHATWG HTML §9.2.6, "Interpreting an event
 * stream"): feed it decoded text in chunks of any size; it calls `onMessage` for each event, and
 * `onRetry` for a `retry:` field. Lines end in CRLF, LF or CR (a CRLF split across two chunks is
 * one line end); `:` lines are comments (keep-alive pings); `data:` lines join with `\n`; an event
 * with no data is not dispatched; an `id` holding NUL is ignored.
 */
export class SseParser {
  private buffer = '';
  /** The previous chunk ended in CR: a LF starting the next one belongs to that line end. */
  private afterCR = false;
  private data: string[] = [];
  private type = '';
  private lastId = '';

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private readonly onRetry: (ms: number) => void = () => undefined,
    initialId = '',
  ) {
    this.lastId = initialId;
  }

  /** The id a reconnection sends as `Last-Event-ID`. */
  get lastEventId(): string {
    return this.lastId;
  }

  push(chunk: string): void {
    let text = chunk;
    if (this.afterCR && text.startsWith('\n')) text = text.slice(1);
    this.afterCR = false;
    this.buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      this.line(this.buffer.slice(start, end));
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) {
          this.afterCR = true;
          start = end + 1;
          break;
        }
        start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
      } else start = end + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an event not closed by a blank line is dropped (the spec's rule). */
  reset(): void {
    this.buffer = '';
    this.afterCR = false;
    this.data = [];
    this.type = '';
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id') {
      if (!value.includes('\0')) this.lastId = value;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value)) this.onRetry(Number(value));
    }
  }

  private dispatch(): void {
    const data = this.data;
    const type = this.type || 'message';
    this.data = [];
    this.type = '';
    if (data.length === 0) return;
    this.onMessage({ id: this.lastId, type, data: data.join('\n') });
  }
}
