/**
 * A real SSE reader for the integration tests: `fetch` with the gateway's token, the body parsed
 * into events (`id`, `event`, `data`; `:` comments skipped) as they arrive.
 */
import type { TestGateway } from './gateway.js';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseStream {
  /** The next event, waiting up to `timeoutMs` (then it throws). */
  next(timeoutMs: number): Promise<SseEvent>;
  /** How many `:` comments (heartbeats included) arrived. */
  comments(): number;
  close(): void;
}

/** Opens `/api/v1<path>` as an event stream; resolves once the response headers are in (status 200). */
export async function openSse(t: Pick<TestGateway, 'url' | 'token'>, apiPath: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(`${t.url}/api/v1${apiPath}`, {
    headers: { authorization: `Bearer ${t.token}`, accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`GET ${apiPath} → ${res.status}: ${await res.text()}`);
  const events: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let comments = 0;
  let ended = false;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event: SseEvent = { data: '' };
          const data: string[] = [];
          let comment = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comment = true;
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (comment && data.length === 0) comments++;
          else {
            event.data = data.join('\n');
            events.push(event);
          }
          waiters.splice(0).forEach((wake) => wake());
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
      waiters.splice(0).forEach((wake) => wake());
    }
  })();
  return {
    async next(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (events.length === 0) {
        if (ended) throw new Error(`the stream ${apiPath} ended`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event on ${apiPath} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return events.shift()!;
    },
    comments: () => comments,
    close: () => abort.abort(),
  };
}
