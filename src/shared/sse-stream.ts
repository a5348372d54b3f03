/**
 * A resumable reader of one SSE stream of the gateway (`/api/v1/events`, `/api/v1/audit/stream`,
 * `/api/v1/approvals/stream`) over `fetch` (Node 20 has no EventSource, and EventSource cannot send
 * the token): parses events (WHATWG rules, `./sse-parser.ts`), resumes with `Last-Event-ID` after a
 * drop, and reconnects with exponential backoff until `close()`. Each stream hands in its own
 * `parse`, which checks an event against the stream's wire schema. Works in Node and in a browser
 * page (without a token, the page's fetch adds its session header).
 */
import { SseParser, type SseMessage } from './sse-parser.js';

export type SseStreamStatus = 'open' | 'reconnecting' | 'closed';

export interface SseStreamOptions<T> {
  /** The full URL of the stream. */
  url: string;
  /** The bearer token; omitted in the browser page (its fetch adds the session header). */
  token?: string;
  fetchImpl?: typeof fetch;
  /** Resume after this event id (sent as `Last-Event-ID` on the first request too). */
  lastEventId?: string;
  /** First reconnection delay, ms (default 500; a `retry:` field of the stream replaces it). */
  minDelayMs?: number;
  /** Longest reconnection delay, ms (default 15,000): the delay doubles per failed attempt up to this. */
  maxDelayMs?: number;
  /** One event, checked: its value, or an Error saying why it is skipped (reported to `onError`). */
  parse: (message: SseMessage) => T | Error;
}

/** Parses an event's `data` as JSON: the value, or an Error naming the event. */
export function jsonData(message: SseMessage): unknown {
  try {
    return JSON.parse(message.data);
  } catch (error) {
    return new Error(`event ${message.id} (${message.type}) carries data that is not JSON: ${(error as Error).message}`);
  }
}

/**
 * One subscription. It connects at once; `onStatus` reports `open` when a response arrived,
 * `reconnecting` after a drop or a failed attempt (then it waits and tries again, sending
 * `Last-Event-ID`), `closed` after `close()`. Events `parse` refuses are reported to `onError` and
 * skipped.
 */
export class SseStream<T> {
  private readonly eventListeners = new Set<(event: T) => void>();
  private readonly statusListeners = new Set<(status: SseStreamStatus) => void>();
  private readonly errorListeners = new Set<(error: Error) => void>();
  private readonly abort = new AbortController();
  private readonly parser: SseParser;
  private readonly fetchImpl: typeof fetch;
  private current: SseStreamStatus = 'reconnecting';
  private baseDelayMs: number;
  private failures = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly options: SseStreamOptions<T>) {
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
    this.baseDelayMs = options.minDelayMs ?? 500;
    this.parser = new SseParser(
      (message) => this.deliver(message),
      (ms) => (this.baseDelayMs = ms),
      options.lastEventId ?? '',
    );
    // Started after the constructor returns, so listeners added right away see every status.
    void Promise.resolve().then(() => this.run());
  }

  get status(): SseStreamStatus {
    return this.current;
  }

  /** The id of the last event received: what a reconnection resumes from. */
  get lastEventId(): string {
    return this.parser.lastEventId;
  }

  /** Adds a listener; returns its removal. */
  onEvent(listener: (event: T) => void): () => void {
    this.eventListeners.add(listener);
    return () => void this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: SseStreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => void this.statusListeners.delete(listener);
  }

  /** Why a connection attempt failed or an event was skipped (for a log; the stream goes on). */
  onError(listener: (error: Error) => void): () => void {
    this.errorListeners.add(listener);
    return () => void this.errorListeners.delete(listener);
  }

  /** Stops reading and reconnecting; idempotent. */
  close(): void {
    if (this.current === 'closed') return;
    this.abort.abort();
    this.wake?.();
    this.setStatus('closed');
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.readOnce();
        // The server ended the stream (a restart, a drain): resume after the base delay.
        this.failures = 1;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.report(error instanceof Error ? error : new Error(String(error)));
        this.failures += 1;
      }
      if (this.abort.signal.aborted) return;
      this.setStatus('reconnecting');
      await this.sleep(Math.min(this.options.maxDelayMs ?? 15_000, this.baseDelayMs * 2 ** (this.failures - 1)));
    }
  }

  private async readOnce(): Promise<void> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (this.parser.lastEventId) headers['last-event-id'] = this.parser.lastEventId;
    const response = await this.fetchImpl(this.options.url, { headers, signal: this.abort.signal });
    if (!response.ok || !response.body) {
      const text = await response.text().catch((error: Error) => error.message);
      throw new Error(`GET ${this.options.url} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) {
      await response.body.cancel();
      throw new Error(`GET ${this.options.url} answered ${type || 'no content type'}, not text/event-stream`);
    }
    this.failures = 0;
    this.setStatus('open');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.parser.push(value);
      }
    } finally {
      this.parser.reset();
      reader.releaseLock();
    }
  }

  private deliver(message: SseMessage): void {
    const parsed = this.options.parse(message);
    if (parsed instanceof Error) return this.report(parsed);
    for (const listener of this.eventListeners) listener(parsed);
  }

  private report(error: Error): void {
    for (const listener of this.errorListeners) listener(error);
  }

  private setStatus(status: SseStreamStatus): void {
    if (this.current === status) return;
    this.current = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }
}
