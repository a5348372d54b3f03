import type { JSONRPCMessage } from '@modelcontextprotocol/client';

/** The most a single line may hold before the stream counts as broken (the SDK's own limit is alike). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Splits a downstream's stdout into newline-delimited JSON-RPC messages. Each line is parsed once
 * with `JSON.parse` and given a shape check; the result is relayed as parsed, never re-validated
 * against the protocol's schemas (that is the client's job at the far end). Lines that are not
 * JSON, or not JSON-RPC, are reported through `onJunk` and skipped.
 */
export class LineReader {
  private pending: Buffer | undefined;

  constructor(
    private readonly onMessage: (message: JSONRPCMessage) => void,
    private readonly onJunk: (line: string, reason: string) => void,
  ) {}

  append(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (let newline = data.indexOf(10, start); newline >= 0; newline = data.indexOf(10, start)) {
      const end = newline > start && data[newline - 1] === 13 ? newline - 1 : newline;
      if (end > start) this.line(data.toString('utf8', start, end));
      start = newline + 1;
    }
    data = data.subarray(start);
    if (data.length > MAX_LINE_BYTES) {
      this.pending = undefined;
      throw new Error(`a line on stdout exceeded ${MAX_LINE_BYTES} bytes without a newline`);
    }
    this.pending = data.length > 0 ? Buffer.from(data) : undefined;
  }

  clear(): void {
    this.pending = undefined;
  }

  private line(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.onJunk(text, 'not JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      return this.onJunk(text, 'not a JSON-RPC 2.0 message');
    }
    const message = value as { method?: unknown; id?: unknown; result?: unknown; error?: unknown };
    const isCall = typeof message.method === 'string';
    const isResponse = (typeof message.id === 'string' || typeof message.id === 'number') && ('result' in message || 'error' in message);
    if (!isCall && !isResponse) return this.onJunk(text, 'neither a request, a notification nor a response');
    this.onMessage(value as JSONRPCMessage);
  }
}
