import { ProtocolErrorCode, type FetchLike, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { describeOversize, OVERSIZE_RESPONSE } from './describe-error.js';
import { SseEventSize } from './sse-event-size.js';
import type { OversizeInfo } from './stdio-transport.js';

/** Statuses whose Response cannot carry a body, and redirects, which the SDK's redirect policy reads as they came. */
const PASSED_AS_IS = (status: number) => status < 200 || status === 204 || status === 205 || (status >= 300 && status < 400);
const encoder = new TextEncoder();

/**
 * Caps every message an HTTP downstream sends at `max_message_bytes`, as `LineReader` does on
 * stdio: a `FetchLike` for the SDK's Streamable HTTP and legacy SSE transports (composed over
 * `bearerFetch` when a scope has a token) whose response bodies are counted as they are read, so
 * nothing past the limit is ever assembled. An `application/json` (or any other non-SSE) body
 * counts whole; a `text/event-stream` body counts per event (`SseEventSize`), so a long-lived
 * stream of many small messages is never cut. Past the limit the body is cancelled and:
 * - a JSON body errors with `describeOversize` (`downstream_error`), which the SDK's `send`
 *   rejects the call with;
 * - a request's own SSE stream (a POST) ends: the event cut short is closed with a type the SDK
 *   ignores, and an error response (`data.mcplexer: OVERSIZE_RESPONSE`) stands in for the answer
 *   of each request the POST carried, so exactly that call fails and the SDK does not try to resume
 *   the stream (it resumes only streams that ended without an answer);
 * - a stream no request owns (Streamable HTTP's GET stream, the legacy SSE stream, which carries
 *   every answer) errors, `streamOversize` is set and `onStreamOversize` closes the transport: as
 *   on stdio, its calls fail with the same wording and the next call reconnects.
 * The limit is read at each chunk, so a changed setting applies at once.
 */
export class HttpMessageLimit {
  /** Set when a message on a stream no request owns went over the limit (why the connection closed). */
  streamOversize?: OversizeInfo;
  /** Closes the transport after `streamOversize` was set (set by the opener, per transport). */
  onStreamOversize?: () => void;

  constructor(
    /** The server's display name, for the error. */
    private readonly name: string,
    /** Bytes (setting `max_message_bytes`). */
    private readonly maxBytes: () => number,
  ) {}

  wrap(base: FetchLike): FetchLike {
    return async (url, init) => {
      const response = await base(url, init);
      if (response.body === null || PASSED_AS_IS(response.status)) return response;
      const sse = (response.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'text/event-stream';
      // The request's text is kept (not parsed) while its stream is read: only an oversized answer needs its ids.
      const body = sse ? this.events(response.body, init?.body) : this.whole(response.body);
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  private whole(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    let bytes = 0;
    return this.counted(
      source,
      (chunk, limit) => (bytes += chunk.byteLength) <= limit,
      () => bytes,
      (info, controller) => controller.error(describeOversize({ name: this.name, oversize: { ...info, where: 'response' } })),
    );
  }

  private events(source: ReadableStream<Uint8Array>, requestBody: unknown): ReadableStream<Uint8Array> {
    const size = new SseEventSize();
    let passedLineStart = true;
    const fits = (chunk: Uint8Array, limit: number): boolean => {
      passedLineStart = size.lineStart;
      return size.feed(chunk, limit);
    };
    return this.counted(
      source,
      fits,
      () => size.bytes,
      (info, controller) => {
        const ids = requestIdsOf(requestBody);
        if (ids.length === 0) {
          this.streamOversize = { ...info, where: 'stream' };
          this.onStreamOversize?.();
          return controller.error(describeOversize({ name: this.name, oversize: this.streamOversize }));
        }
        const { message } = describeOversize({ name: this.name, oversize: { ...info, where: 'response' } });
        // A line break first only when the bytes passed end inside a line; then the dispatch of the cut event under a type the SDK skips.
        let text = `${passedLineStart ? '' : '\n'}event: mcplexer-discarded\n\n`;
        for (const id of ids) text += `data: ${JSON.stringify(oversizeAnswer(id, message))}\n\n`;
        controller.enqueue(encoder.encode(text));
        controller.close();
      },
    );
  }

  /** `source` relayed chunk by chunk while `fits`; the chunk that does not fit is dropped with the rest of the body. */
  private counted(
    source: ReadableStream<Uint8Array>,
    fits: (chunk: Uint8Array, limit: number) => boolean,
    seen: () => number,
    over: (info: OversizeInfo, controller: ReadableStreamDefaultController<Uint8Array>) => void,
  ): ReadableStream<Uint8Array> {
    const reader = source.getReader();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const { value, done } = await reader.read();
          if (done) return controller.close();
          const limit = this.maxBytes();
          if (fits(value, limit)) return controller.enqueue(value);
          reader.cancel().catch(() => undefined); // the connection is dropped either way; nothing to act on
          over({ bytesSeen: seen(), limit }, controller);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  }
}

/** The ids of the requests a POST body carried (JSON-RPC 2.0: one message or a batch). */
export function requestIdsOf(body: unknown): Array<string | number> {
  if (typeof body !== 'string') return []; // a GET: no request owns the stream
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return []; // the SDK sends JSON; anything else carries no request to answer
  }
  const ids: Array<string | number> = [];
  for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
    const { id, method } = (message ?? {}) as { id?: unknown; method?: unknown };
    if (typeof method === 'string' && (typeof id === 'string' || typeof id === 'number')) ids.push(id);
  }
  return ids;
}

function oversizeAnswer(id: string | number, message: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: { code: ProtocolErrorCode.InternalError, message, data: { mcplexer: OVERSIZE_RESPONSE } } };
}
