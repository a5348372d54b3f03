import type { JSONRPCMessage } from '@modelcontextprotocol/client';

/** The default cap on one message from a downstream (setting `max_message_bytes`): 32 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/**
 * Splits a downstream's stdout into newline-delimited JSON-RPC messages in linear time: each chunk
 * is scanned once for '\n', the pieces of an unfinished line are kept in a list, and they are
 * joined once, when the line ends. Each line is parsed once with `JSON.parse` and given a shape
 * check; the result is relayed as parsed, never re-validated against the protocol's schemas.
 * Lines that are not JSON, or not JSON-RPC, are reported through `onJunk` and skipped.
 *
 * A line longer than `maxBytes()` (bytes, without its newline) is never assembled: `onOversize`
 * is called once with the bytes seen so far, and from then on the reader drops everything (the
 * stream cannot be resynchronised; the owner closes it).
 */
export class LineReader {
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  private broken = false;

  constructor(
    private readonly onMessage: (message: JSONRPCMessage) => void,
    /** `value`: the parsed JSON when the line was JSON (so the owner can see an id it carries). */
    private readonly onJunk: (line: string, reason: string, value?: unknown) => void,
    private readonly maxBytes: () => number = () => DEFAULT_MAX_MESSAGE_BYTES,
    private readonly onOversize: (bytesSeen: number, limit: number) => void = () => undefined,
  ) {}

  append(chunk: Buffer): void {
    if (this.broken) return;
    const limit = this.maxBytes();
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      if (this.pendingBytes + (newline - start) > limit) return this.oversize(this.pendingBytes + (newline - start), limit);
      const line = this.take(chunk.subarray(start, newline));
      start = newline + 1;
      if (line.length > 0) this.line(line);
      if (this.broken) return;
    }
    if (start >= chunk.length) return;
    const rest = chunk.subarray(start);
    if (this.pendingBytes + rest.length > limit) return this.oversize(this.pendingBytes + rest.length, limit);
    // Copied: `chunk` may be a slice of a pooled buffer that Node reuses.
    this.pieces.push(Buffer.from(rest));
    this.pendingBytes += rest.length;
  }

  clear(): void {
    this.pieces = [];
    this.pendingBytes = 0;
  }

  /** The finished line (pending pieces + `tail`), without a trailing '\r'; resets the pending list. */
  private take(tail: Buffer): Buffer {
    let line = tail;
    if (this.pieces.length > 0) {
      this.pieces.push(tail);
      line = Buffer.concat(this.pieces, this.pendingBytes + tail.length);
      this.clear();
    }
    return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
  }

  private oversize(bytesSeen: number, limit: number): void {
    this.broken = true;
    this.clear();
    this.onOversize(bytesSeen, limit);
  }

  private line(bytes: Buffer): void {
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.onJunk(text, 'not JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      return this.onJunk(text, 'not a JSON-RPC 2.0 message', value);
    }
    const message = value as { method?: unknown; id?: unknown; result?: unknown; error?: unknown };
    const isCall = typeof message.method === 'string';
    const isResponse = (typeof message.id === 'string' || typeof message.id === 'number') && ('result' in message || 'error' in message);
    if (!isCall && !isResponse) return this.onJunk(text, 'neither a request, a notification nor a response', value);
    // MCP results and JSON-RPC errors are objects: the SDK drops any other answer, and the call waited for its timeout (a trial: `"result": null`).
    if (!isCall && !isObject('result' in message ? message.result : message.error))
      return this.onJunk(text, `its ${'result' in message ? 'result' : 'error'} is not an object`, value);
    this.onMessage(value as JSONRPCMessage);
  }
}

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
