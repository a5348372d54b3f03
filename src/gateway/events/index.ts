/**
 * events: the daemon's event stream for editor windows and views (`GET /api/v1/events`): numbered
 * events of the types in `src/shared/schemas/daemon.ts`, a bounded ring for `Last-Event-ID`
 * replay, and subscribers. Pure: no I/O; the SSE writer lives in `http/`, the sources are wired in
 * `runtime/`.
 */
export { EventHub, sseFrame, type HubEvent, type Replay } from './event-hub.js';
