/** One dispatched server-sent event: `data` is its `data:` lines joined with `\n` ('' when it had none). */
export interface SseEvent {
  data: string;
  /** The event's `id:` field, if it had one (a resumption token for `Last-Event-ID`). */
  id: string | undefined;
  /** The event's `event:` field, if it had one (MCP messages have none, or `message`). */
  event: string | undefined;
}

/**
 * An incremental `text/event-stream` parser (WHATWG HTML, "Server-sent events", 9.2.6): text is
 * pushed as it arrives, in chunks cut anywhere; an event is dispatched at the blank line that ends
 * it. Lines end with LF, CRLF or CR; a line starting with `:` is a comment; one space after the
 * field's colon is dropped. An event is dispatched when it had a `data:` or an `id:` field (an
 * id-only "priming" event still carries a resumption token). What is left unterminated when the
 * stream ends is dropped, as the spec says.
 */
export class SseParser {
  private buffer = '';
  private started = false;
  private afterCr = false;
  private data: string[] = [];
  private sawData = false;
  private id: string | undefined;
  private event: string | undefined;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    /** A `retry:` field: the reconnection delay the server asks for, in milliseconds. */
    private readonly onRetry: (ms: number) => void = () => undefined,
  ) {}

  push(chunk: string): void {
    let text = this.buffer === '' ? chunk : this.buffer + chunk;
    if (!this.started && text !== '') {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    // The LF of a CRLF whose CR ended the previous chunk.
    if (this.afterCr && text.charCodeAt(0) === 10) start = 1;
    this.afterCr = false;
    // The gateway ends lines with LF only: a CR is searched for again only once passed.
    let cr = text.indexOf('\r', start);
    for (;;) {
      const lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        next = cr + 1;
        if (next === text.length) this.afterCr = true;
        else if (text.charCodeAt(next) === 10) next += 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        break;
      }
      this.line(text.slice(start, end));
      start = next;
    }
    this.buffer = start === 0 ? text : text.slice(start);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'event':
        this.event = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry(Number(value));
        break;
      default: // unknown fields are ignored (spec)
    }
  }

  private dispatch(): void {
    if (this.sawData || this.id !== undefined) {
      const data = this.data.length === 1 ? this.data[0]! : this.data.join('\n');
      this.onEvent({ data, id: this.id, event: this.event });
    }
    this.data = [];
    this.sawData = false;
    this.id = undefined;
    this.event = undefined;
  }
}
