/**
 * Approval helpers for the integration tests: the SSE stream of `GET /api/v1/approvals/stream`
 * read as parsed events, and waiting for a pending request to show up in `GET /approvals`.
 */
import type { ApprovalRecord } from '../../src/gateway/approvals/index.js';
import type { TestGateway } from './gateway.js';

export interface SseEvent {
  event: string;
  data: { type: 'pending' | 'resolved'; approval: ApprovalRecord };
}

export interface ApprovalStream {
  events: SseEvent[];
  /** Comment lines (`: connected`, `: heartbeat`) seen so far. */
  comments: string[];
  /** The first event (from the start of the stream) that matches, waiting for it up to `timeoutMs`. */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/** Opens the approval stream with the token and resolves once its first bytes (`: connected`) arrived. */
export async function openApprovalStream(t: TestGateway): Promise<ApprovalStream> {
  const controller = new AbortController();
  const response = await fetch(`${t.url}/api/v1/approvals/stream`, { headers: { authorization: `Bearer ${t.token}` }, signal: controller.signal });
  if (response.status !== 200) throw new Error(`GET /approvals/stream → ${response.status}`);
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          for (const line of lines) if (line.startsWith(':')) comments.push(line.slice(1).trim());
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (event && data) events.push({ event, data: JSON.parse(data) });
          connected();
          for (const wake of waiters) wake();
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  await ready;
  return {
    events,
    comments,
    next: (match, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching approval event within ${timeoutMs} ms; seen: ${JSON.stringify(events.map((e) => e.event))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => controller.abort(),
  };
}

/** Polls `GET /approvals` (pending) until a request for `tool` (any tool if not given) shows up. */
export async function waitForPending(t: TestGateway, tool?: string, timeoutMs = 10_000): Promise<ApprovalRecord> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const pending = (await t.api<ApprovalRecord[]>('GET', '/approvals')).body;
    const found = pending.find((record) => tool === undefined || record.tool_name === tool);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no pending approval for ${tool ?? 'any tool'} within ${timeoutMs} ms`);
}
