import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * The client side of `mcplexer connect`: newline-delimited JSON over stdin and stdout (MCP's
 * stdio transport), parsed but not validated, so that a malformed message reaches the bridge,
 * which answers it, instead of being dropped unanswered (the SDK's stdio transport drops any line
 * that is not a valid JSON-RPC message, and the client then waits forever).
 */
export class StdioLines {
  /** A parsed line: any JSON value, with the line it was parsed from. */
  onmessage?: (message: unknown, line: string) => void;
  /** A line that is not JSON, with the parser's reason. */
  onparseerror?: (reason: string) => void;
  /** stdin ended: the client is gone. */
  onclose?: () => void;
  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
  ) {}

  start(): void {
    const lines = createInterface({ input: this.input, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch (error) {
        this.onparseerror?.((error as Error).message);
        return;
      }
      this.onmessage?.(message, line);
    });
    lines.on('close', () => this.onclose?.());
  }

  /**
   * Writes one message as a line, at once (the stream keeps the order); resolves when the
   * stream takes more, after a drain if its buffer was full (as the SDK's stdio transport does).
   */
  send(message: unknown): Promise<void> {
    return this.sendLine(JSON.stringify(message));
  }

  /**
   * Writes a message's JSON text as received, unchanged (no re-serialisation), as `send` does; a
   * text holding a line break (JSON whitespace) is written as `fallback` serialised instead, so one
   * message stays one line.
   */
  sendText(text: string, fallback: unknown): Promise<void> {
    return this.sendLine(text.includes('\n') || text.includes('\r') ? JSON.stringify(fallback) : text);
  }

  private sendLine(line: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.output.write(`${line}\n`, (error) => (error ? reject(error) : undefined))) resolve();
      else this.output.once('drain', resolve);
    });
  }
}
