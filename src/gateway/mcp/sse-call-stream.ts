/**
 * The lean path's relay sink and answer for one client request: a JSON body when nothing precedes
 * the result, upgraded to an SSE stream on the first related message. It honours write
 * backpressure: once `res.write()` returns false, frames wait in a bounded queue until 'drain'.
 * Progress is coalesced to the latest update, notifications beyond `MAX_QUEUED_NOTIFICATIONS` are
 * dropped and counted, and the response and server→client requests are never dropped, so a client
 * that stops reading costs a bounded amount of memory whatever the downstream sends.
 */
import type { ServerResponse } from 'node:http';
import type { RelaySink } from './client-relay.js';
import type { McpSession } from './session.js';
import type { RelayMessage as Message } from './types.js';

/** Notifications (logging and others) that may wait behind a slow reader; later ones are dropped and counted. */
export const MAX_QUEUED_NOTIFICATIONS = 256;

type Kind = 'progress' | 'notification' | 'vital';
interface Frame {
  message: object;
  kind: Kind;
}

let serverRequestCounter = 0;

export class SseCallStream implements RelaySink {
  /** Notifications dropped because the client read too slowly. */
  dropped = 0;
  /** The most frames that waited at once (diagnostics and tests). */
  maxQueued = 0;
  private streaming = false;
  private blocked = false;
  private ending = false;
  /** Allocated on the first frame that has to wait: a call whose reader keeps up never has one. */
  private queue: Frame[] | undefined;
  private queuedNotifications = 0;
  /** The queued progress frame, overwritten by later progress until it is written. */
  private progressFrame: Frame | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly session: McpSession,
  ) {}

  notify(notification: Message): void {
    this.send(
      { jsonrpc: '2.0', method: notification.method, params: notification.params },
      notification.method === 'notifications/progress' ? 'progress' : 'notification',
    );
  }

  request(request: Message, signal: AbortSignal): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const id = `mcplexer-${(serverRequestCounter += 1)}`;
      this.session.fastServerRequests.set(id, { resolve, reject });
      signal.addEventListener(
        'abort',
        () => {
          // Still unanswered: the client is told it may drop it (its form closes), as the SDK path does.
          if (!this.session.fastServerRequests.delete(id)) return;
          this.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: String(signal.reason ?? 'withdrawn') } }, 'vital');
          reject(new Error('the request to the client was withdrawn'));
        },
        { once: true },
      );
      this.send({ jsonrpc: '2.0', id, method: request.method, params: request.params }, 'vital');
    });
  }

  /** Answers the client's request: one JSON body when nothing preceded it, else the last SSE event, after what is queued. */
  finish(response: object): void {
    const res = this.res;
    this.session.droppedNotifications += this.dropped;
    if (res.writableEnded || res.destroyed) return;
    if (!this.streaming) {
      const body = JSON.stringify(response);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'mcp-session-id': this.session.id }).end(body);
      return;
    }
    this.ending = true;
    this.send(response, 'vital');
    if (!this.blocked) res.end();
  }

  private send(message: object, kind: Kind): void {
    const res = this.res;
    if (res.writableEnded || res.destroyed) return;
    if (!this.streaming) {
      this.streaming = true;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'mcp-session-id': this.session.id });
      res.on('drain', () => this.flush());
    }
    if (this.blocked) this.enqueue(message, kind);
    else if (!res.write(frame(message))) this.blocked = true;
  }

  private enqueue(message: object, kind: Kind): void {
    if (kind === 'progress' && this.progressFrame !== undefined) {
      this.progressFrame.message = message;
      return;
    }
    if (kind === 'notification') {
      if (this.queuedNotifications >= MAX_QUEUED_NOTIFICATIONS) {
        this.dropped += 1;
        return;
      }
      this.queuedNotifications += 1;
    }
    const queued: Frame = { message, kind };
    if (kind === 'progress') this.progressFrame = queued;
    const queue = (this.queue ??= []);
    queue.push(queued);
    if (queue.length > this.maxQueued) this.maxQueued = queue.length;
  }

  private flush(): void {
    const res = this.res;
    this.blocked = false;
    const queue = this.queue ?? [];
    while (queue.length > 0) {
      if (res.writableEnded || res.destroyed) return;
      const next = queue.shift()!;
      if (next === this.progressFrame) this.progressFrame = undefined;
      else if (next.kind === 'notification') this.queuedNotifications -= 1;
      if (!res.write(frame(next.message))) {
        this.blocked = true;
        return;
      }
    }
    if (this.ending) res.end();
  }
}

function frame(message: object): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}
