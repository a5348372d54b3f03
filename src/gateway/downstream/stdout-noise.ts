/**
 * What a stdio server wrote on stdout that is not JSON-RPC (MCP's classic mistake: logging to
 * stdout), kept so that its failures can say so: a count, the first such line (a banner is
 * usually first) and the newest `capacity` lines, each redacted and clipped as the stderr tail's.
 * Fed only with lines that failed to parse as JSON-RPC (`LineReader`'s `onJunk`), so a server
 * that writes only JSON-RPC costs nothing here. Health shows it as `stdout_not_jsonrpc`.
 */
export class StdoutNoise {
  private lines: string[] = [];
  private first: string | undefined;
  private seen = 0;
  /** Since the last `mark()` (a new process): what `summary` speaks of. */
  private firstSinceMark: string | undefined;
  private seenSinceMark = 0;

  constructor(
    private readonly capacity = 20,
    private readonly maxLineLength = 2000,
    private readonly redact: (line: string) => string = (line) => line,
  ) {}

  /** One line that is not JSON-RPC (without its line break). */
  push(line: string): void {
    const kept = this.clip(this.redact(line.length > this.maxLineLength + SLACK ? line.slice(0, this.maxLineLength + SLACK) : line));
    this.seen += 1;
    this.first ??= kept;
    this.seenSinceMark += 1;
    this.firstSinceMark ??= kept;
    this.lines.push(kept);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  /** How many such lines the server wrote (since the instance was created: across its restarts). */
  get count(): number {
    return this.seen;
  }

  /** For health: the count and the newest lines, oldest first; undefined when there were none. */
  report(): { count: number; tail: string[] } | undefined {
    return this.seen === 0 ? undefined : { count: this.seen, tail: this.lines.slice() };
  }

  /** A new process starts: `summary` speaks of what it writes from now on; `report` (health) keeps the history. */
  mark(): void {
    this.seenSinceMark = 0;
    this.firstSinceMark = undefined;
  }

  /**
   * The sentence a failure of this server's current process adds, naming the count, an example
   * (its first such line, at most 200 characters) and the rule; undefined when it wrote none.
   */
  summary(): string | undefined {
    if (this.seenSinceMark === 0) return undefined;
    const first = this.firstSinceMark!;
    const example = first.length > 200 ? `${first.slice(0, 200)}…` : first;
    const lines = this.seenSinceMark === 1 ? '1 line to stdout that is' : `${this.seenSinceMark} lines to stdout that are`;
    return `the server wrote ${lines} not JSON-RPC, e.g. ${JSON.stringify(example)}: an MCP stdio server must write only JSON-RPC messages to stdout (log to stderr)`;
  }

  private clip(line: string): string {
    return line.length > this.maxLineLength ? line.slice(0, this.maxLineLength) + '…' : line;
  }
}

/** Kept a little longer than shown, so a secret cut at the limit is still recognised whole by the redactor. */
const SLACK = 512;
