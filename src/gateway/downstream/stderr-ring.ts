/**
 * The last N lines a child wrote to stderr, for health and error messages. Fixed memory. Each
 * line passes through `redact` before it is stored, so what health, `last_error` and logs show
 * never holds a secret the redactor knows.
 */
export class StderrRing {
  private readonly lines: string[] = [];
  private next = 0;
  private partial = '';
  /** Lines stored since the last `mark()` (a new process): only they explain its failures. */
  private sinceMark = 0;

  constructor(
    private readonly capacity = 200,
    private readonly maxLineLength = 2000,
    private readonly redact: (line: string) => string = (line) => line,
  ) {}

  /** Adds a chunk of text; a line split across chunks is joined before it is stored. */
  push(chunk: string): void {
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      this.store(this.partial + chunk.slice(start, newline));
      this.partial = '';
      start = newline + 1;
    }
    // Kept a little longer than shown, so a secret cut at the limit is still recognised whole.
    if (start < chunk.length) this.partial = (this.partial + chunk.slice(start)).slice(0, this.maxLineLength + SLACK);
  }

  /** The newest `count` lines, oldest first (an unterminated last line included, redacted). */
  tail(count = this.capacity): string[] {
    const ordered = this.lines.length < this.capacity ? this.lines.slice() : [...this.lines.slice(this.next), ...this.lines.slice(0, this.next)];
    if (this.partial) ordered.push(this.clip(this.redact(this.partial)));
    return count >= ordered.length ? ordered : ordered.slice(ordered.length - count);
  }

  /**
   * A new process starts: `excerpt` quotes only what it writes from now on (a trial: a failure of a
   * new process quoted an earlier one's "about to crash"). `tail` (health) keeps the history.
   */
  mark(): void {
    if (this.partial) this.store(this.partial);
    this.partial = '';
    this.sinceMark = 0;
  }

  /** The newest lines since the last `mark()` joined, at most `maxChars` long, for an error message. */
  excerpt(lines = 10, maxChars = 1500): string {
    const text = this.tail(Math.min(lines, this.sinceMark + (this.partial ? 1 : 0)))
      .join('\n')
      .trim();
    return text.length > maxChars ? '…' + text.slice(text.length - maxChars) : text;
  }

  private store(line: string): void {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    const clipped = this.clip(this.redact(trimmed.length > this.maxLineLength + SLACK ? trimmed.slice(0, this.maxLineLength + SLACK) : trimmed));
    if (this.lines.length < this.capacity) this.lines.push(clipped);
    else this.lines[this.next] = clipped;
    this.next = (this.next + 1) % this.capacity;
    this.sinceMark += 1;
  }

  private clip(line: string): string {
    return line.length > this.maxLineLength ? line.slice(0, this.maxLineLength) + '…' : line;
  }
}

const SLACK = 512;
