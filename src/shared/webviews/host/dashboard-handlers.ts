import type { z } from 'zod';
import type { DashboardProtocol, DashboardRange, LiveStatus } from '../dashboard-protocol.js';
import type { ViewNoteOf } from '../protocol.js';
import type { ClientSource } from './client-source.js';
import { flushCaches } from './flush-caches.js';
import type { Handlers } from './host-channel.js';
import type { HostContext } from './host-context.js';
import { TrailingThrottle, type ThrottleClock } from './throttle.js';
import { toWireError } from './wire-error.js';

/**
 * The least time between two live snapshot fetches, ms. Why throttle at all: under load the audit
 * stream brings a record per call (200/s in the bench); a fetch and a redraw per record would keep
 * the host and the view busy for figures whose finest bucket is a minute wide. A trailing 500 ms
 * throttle makes a burst one fetch, caps redraws at two a second, and still shows the last call
 * within half a second of its record.
 */
export const LIVE_INTERVAL_MS = 500;

/**
 * How often an open view refetches with no record (ms). Some figures move without a call settling,
 * so without an audit record: sessions opening and closing, an approval waiting (a new user's
 * trial saw "0 sessions" for as long as a client's first call waited for approval).
 */
export const IDLE_REFRESH_MS = 5_000;

/** The Dashboard view's host context (this view instance's notify and disposal). */
export type DashboardContext = HostContext<DashboardProtocol>;

export interface DashboardHandlerOptions {
  intervalMs?: number;
  clock?: ThrottleClock;
}

/** A stream as the relay needs it (the contract's `SseStream`). */
interface LiveStream {
  onEvent(listener: (record: unknown) => void): () => void;
  onStatus(listener: (status: 'open' | 'reconnecting' | 'closed') => void): () => void;
  onError(listener: (error: Error) => void): () => void;
  close(): void;
}

/**
 * The Dashboard view's requests, per view instance: `dashboard/subscribe` opens one audit stream
 * for the view (a second subscribe re-aims it), each record triggers the throttled snapshot fetch,
 * posted as `dashboard/update`; the view closing (`ctx.onDispose`) closes the stream.
 */
export function dashboardHandlers(source: ClientSource, ctx: DashboardContext, options: DashboardHandlerOptions = {}): Handlers<DashboardProtocol> {
  let range: DashboardRange = '1h';
  let stream: LiveStream | undefined;
  let live: LiveStatus = { status: 'closed' };
  const setLive = (next: LiveStatus) => {
    if (next.status === live.status && next.error === live.error) return;
    live = next;
    ctx.notify('dashboard/live', next);
  };
  const fetcher = new TrailingThrottle(
    async () => {
      const snapshot = await source.client().dashboard(range);
      ctx.notify('dashboard/update', { snapshot });
      if (live.error && live.status === 'open') setLive({ status: 'open' });
    },
    options.intervalMs ?? LIVE_INTERVAL_MS,
    (error) => setLive({ status: live.status, error: `the dashboard could not be refreshed: ${toWireError(error).message}` }),
    options.clock,
  );
  const closeStream = () => {
    stream?.close();
    stream = undefined;
  };
  const clock = options.clock ?? { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as never) };
  let idle: unknown;
  const armIdle = () => {
    clock.clearTimeout(idle);
    idle = clock.setTimeout(() => {
      if (stream) fetcher.trigger();
      armIdle();
    }, IDLE_REFRESH_MS);
  };
  ctx.onDispose(() => {
    clock.clearTimeout(idle);
    idle = undefined;
    closeStream();
    fetcher.stop();
  });

  const subscribe = (): void => {
    closeStream();
    const opened: LiveStream = source.client().auditStream();
    stream = opened;
    setLive({ status: 'connecting' });
    opened.onEvent(() => fetcher.trigger());
    opened.onStatus((status) => {
      if (stream !== opened) return;
      setLive({ status });
      // Records may have come and gone while the stream was down: catch up once.
      if (status === 'open') fetcher.trigger();
    });
    opened.onError((error) => {
      if (stream === opened) setLive({ status: live.status, error: `live updates: ${error.message}` });
    });
  };

  return {
    'dashboard/subscribe': async (params) => {
      range = params.range;
      const snapshot = await source.client().dashboard(range);
      subscribe();
      armIdle();
      return snapshot;
    },
    'dashboard/snapshot': (params) => source.client().dashboard(params.range),
    'dashboard/flushCache': async (params) => {
      const answer = await flushCaches(source.client(), params);
      // The new counters show with the next snapshot, which follows as usual.
      fetcher.trigger();
      return answer;
    },
  };
}
