import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { lastEventIdSchema } from '../../../shared/schemas/daemon.js';
import { parseQuery, textParam, zodDetails } from '../../config/index.js';
import { GatewayError } from '../../errors.js';
import { sseFrame, type EventHub } from '../../events/index.js';

/** Bytes a reader may leave unread before it is dropped (it reconnects with Last-Event-ID and is replayed or resynced). */
export const MAX_UNREAD_BYTES = 1024 * 1024;
/** The comment sent when nothing else was, so proxies and clients see the stream alive. */
export const DEFAULT_PING_MS = 15_000;

export interface EventsOptions {
  /** Interval of the `: ping` comment, ms; default 15 s. */
  pingMs?: number;
  /** Unread bytes after which a slow reader is dropped; default 1 MiB. */
  maxUnreadBytes?: number;
}

/** `GET /events`' one parameter (the OpenAPI document lists this same schema). */
export const EVENTS_PARAMS = { last_event_id: textParam('for clients that cannot set the Last-Event-ID header') };

/** `Last-Event-ID` (or `?last_event_id=`, for clients that cannot set headers), or undefined for a fresh stream. */
function lastEventId(header: string | string[] | undefined, query: unknown): number | undefined {
  const raw = (Array.isArray(header) ? header[0] : header) ?? (typeof query === 'string' ? query : undefined);
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = lastEventIdSchema.safeParse(raw.trim());
  if (parsed.success) return parsed.data;
  throw new GatewayError(
    'validation_failed',
    `Last-Event-ID "${raw.slice(0, 40)}" ${zodDetails(parsed.error)[0]?.message ?? 'is invalid'}; leave it out to start a fresh stream`,
    {
      details: [{ path: 'Last-Event-ID', message: 'must be the id of an event (a non-negative integer)' }],
    },
  );
}

/**
 * `GET /events`: the daemon's events as Server-Sent Events (`id`, `event`, `data` per event; types
 * in `src/shared/schemas/daemon.ts`), with a `: ping` comment every 15 s. A client resuming with
 * `Last-Event-ID` gets what it missed from the ring, or one `resync` event when the ring no longer
 * reaches back (or the daemon restarted). Writes honour backpressure: a reader that leaves more than
 * `maxUnreadBytes` unread is dropped, so memory stays bounded; it reconnects and is replayed or resynced.
 * Behind the token and the Host/Origin checks like every API route.
 * @throws GatewayError `validation_failed` (400) naming `Last-Event-ID` when it is not an event id
 */
export function eventsRouter(hub: EventHub, options: EventsOptions = {}): Router {
  const pingMs = options.pingMs ?? DEFAULT_PING_MS;
  const maxUnread = options.maxUnreadBytes ?? MAX_UNREAD_BYTES;
  const router = Router();
  router.get('/', (req, res) => {
    const query = parseQuery(EVENTS_PARAMS, req.query);
    const after = lastEventId(req.headers['last-event-id'], query.last_event_id);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const send = (frame: string): void => {
      if (res.destroyed) return;
      res.write(frame);
      // The socket's buffer and ours: past the bound the reader is too slow to keep.
      if (res.writableLength > maxUnread) drop(res);
    };
    send('retry: 2000\n\n');
    if (after !== undefined) {
      const replay = hub.since(after);
      if (replay.kind === 'resync') send(sseFrame(hub.lastId, 'resync', {}));
      else for (const event of replay.events) send(event.frame);
    }
    const unsubscribe = hub.subscribe((event) => send(event.frame));
    const ping = setInterval(() => send(': ping\n\n'), pingMs);
    res.once('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  });
  return router;
}

function drop(res: ServerResponse): void {
  res.destroy();
}
