import type { Logger } from '../log.js';

/** What keeps the daemon from being idle: a window's live lease, an open MCP session, a call in flight. */
export interface IdleSources {
  windows: () => number;
  sessions: () => number;
  calls: () => number;
}

/**
 * `serve --exit-when-idle <minutes>`: calls `onIdle` (the daemon stops and releases its lock) once
 * nothing has kept it busy for `idleMs` — no window holding a live lease, no MCP session open, no
 * call in flight. Without the option (headless `npm start`) nothing watches: the daemon never
 * exits by itself. Checked on a timer (a quarter of the idle time, between 50 ms and 5 s), so the
 * exit comes at most that much after the idle time is up.
 * @returns stop(): ends the watch
 */
export function watchIdle(idleMs: number, sources: IdleSources, onIdle: () => void, logger: Logger): { stop(): void } {
  let idleSince: number | undefined = Date.now();
  let fired = false;
  const check = () => {
    const busy = sources.windows() > 0 || sources.sessions() > 0 || sources.calls() > 0;
    const now = Date.now();
    if (busy) idleSince = undefined;
    else idleSince ??= now;
    if (fired || idleSince === undefined || now - idleSince < idleMs) return;
    fired = true;
    clearInterval(timer);
    logger.info('no window, MCP session or call for the idle time: stopping (--exit-when-idle)', { idle_ms: idleMs });
    onIdle();
  };
  const timer = setInterval(check, Math.min(5_000, Math.max(50, idleMs / 4)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
