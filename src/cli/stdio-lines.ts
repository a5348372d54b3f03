import type { Readable, Writable } from 'node:stream';
import { MAX_MCP_BODY_BYTES, type JsonRpcId } from '../gateway/index.js';
import { BoundedLines } from './bounded-lines.js';

/**
 * The client side of `mcplexer connect`: newline-delimited JSON over stdin and stdout (MCP's
 * stdio transport), parsed but not validated, so that a malformed message reaches the bridge,
 * which answers it, instead of being dropped unanswered (the SDK's stdio transport drops any line
 * that is not a valid JSON-RPC message, and the client then waits forever). A line longer than
 * `maxLineBytes` (the gateway's MCP body limit: it would refuse it anyway) is never held whole: it is
 * discarded as it arrives and reported with the id of the request it held, and the next line is read.
 */
export class StdioLines {
  /** A parsed line: any JSON value, with the line it was parsed from. */
  onmessage?: (message: unknown, line: string) => void;
  /** A line that is not JSON, with the parser's reason. */
  onparseerror?: (reason: string) => void;
  /** A line over `maxLineBytes` was discarded: its length, and the id of the request it started (null: none could be read). */
  onoverlong?: (id: JsonRpcId, bytes: number) => void;
  /** stdin ended: the client is gone. */
  onclose?: () => void;
  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
    /** Bytes of one line, its line break not counted. */
    readonly maxLineBytes: number = MAX_MCP_BODY_BYTES,
  ) {}

  start(): void {
    const lines = new BoundedLines(
      this.maxLineBytes,
      (line) => this.line(line),
      (id, bytes) => this.onoverlong?.(id, bytes),
    );
    this.input.on('data', (chunk: Buffer | string) => lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    this.input.on('end', () => {
      lines.end();
      this.onclose?.();
    });
  }

  private line(line: string): void {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.onparseerror?.((error as Error).message);
      return;
    }
    this.onmessage?.(message, line);
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

  /** Resolves once everything written so far has been handed to the OS (before the process exits). */
  flush(): Promise<void> {
    return new Promise<void>((resolve) => this.output.write('', () => resolve()));
  }

  private sendLine(line: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.output.write(`${line}\n`, (error) => (error ? reject(error) : undefined))) resolve();
      else this.output.once('drain', resolve);
    });
  }
}
