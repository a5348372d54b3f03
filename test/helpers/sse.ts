/** A plain SSE reader over fetch for the tests of `GET /api/v1/events` (no EventSource in Node 20). */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: any;
  /** A comment line (`: ping`) without the colon. */
  comment?: string;
}

export interface SseReader {
  status: number;
  headers: Headers;
  frames: SseFrame[];
  /** Resolves with the first frame (seen or to come) that matches, or rejects after `timeoutMs`. */
  next(match: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves once the server closed the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  const parse = (block: string) => {
    const frame: SseFrame = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) frame.comment = line.slice(1).trim();
      const cut = line.indexOf(': ');
      if (cut < 0 || line.startsWith(':')) continue;
      const [field, value] = [line.slice(0, cut), line.slice(cut + 2)];
      if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
      else if (field === 'data') frame.data = JSON.parse(value);
    }
    frames.push(frame);
    for (const wake of waiters.splice(0)) wake();
  };
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          parse(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  const next = async (match: (frame: SseFrame) => boolean, timeoutMs = 5_000): Promise<SseFrame> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = frames.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE frame within ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-5))}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  };
  return { status: response.status, headers: response.headers, frames, next, ended, close: () => controller.abort() };
}
