// STAND-IN (E3, issue 16): the smallest version of E1's SSE reader at the contract's path and
// names; E1's replaces it at merge.
import type { GatewayEvent } from './schemas/daemon.js';

export type { GatewayEvent } from './schemas/daemon.js';
export type EventStreamStatus = 'open' | 'reconnecting' | 'closed';

/**
 * Reads `GET /api/v1/events` with fetch (Node 20 has no EventSource), parses SSE frames, and
 * reconnects with backoff (0.5 s doubling to 10 s) sending `Last-Event-ID` so the daemon replays.
 */
export class GatewayEventStream {
  private readonly eventListeners = new Set<(e: GatewayEvent) => void>();
  private readonly statusListeners = new Set<(s: EventStreamStatus) => void>();
  private readonly abort = new AbortController();
  private lastEventId: string | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    void this.run();
  }

  onEvent(listener: (e: GatewayEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (s: EventStreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    for (const listener of this.statusListeners) listener('closed');
  }

  private async run(): Promise<void> {
    let delay = 500;
    while (!this.closed) {
      try {
        const response = await this.fetchImpl(this.url, {
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'text/event-stream',
            ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
          },
          signal: this.abort.signal,
        });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} from ${this.url}`);
        delay = 500;
        for (const listener of this.statusListeners) listener('open');
        await this.read(response.body);
      } catch (error) {
        if (this.closed) return;
        void error; // the next attempt reports through the status; the reason is the daemon's to log
      }
      if (this.closed) return;
      for (const listener of this.statusListeners) listener('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.frame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  private frame(text: string): void {
    let type = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (id !== undefined) this.lastEventId = id;
    if (data.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch (error) {
      if (error instanceof SyntaxError) return; // not one of the daemon's frames
      throw error;
    }
    const event = { id, type, data: parsed } as GatewayEvent;
    for (const listener of this.eventListeners) listener(event);
  }
}
