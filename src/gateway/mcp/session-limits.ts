import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { McpSession, SessionRegistry } from './session.js';

/** The two settings that bound the sessions the gateway holds. */
export interface SessionLimits {
  /** `session_idle_timeout_sec`, in seconds. */
  idleTimeoutSec: number;
  /** `max_sessions`. */
  maxSessions: number;
}

function duration(seconds: number): string {
  if (seconds % 60 !== 0 || seconds < 120) return `${seconds} seconds`;
  return `${seconds / 60} minutes`;
}

/**
 * The refusal of an `initialize` when `maxSessions` sessions are open: it says the limit, the
 * setting that raises it, and when idle sessions go away.
 */
export function tooManySessions(limits: SessionLimits): GatewayError {
  return new GatewayError(
    'capacity_exceeded',
    `too many MCP sessions: the gateway already holds ${limits.maxSessions}, the limit set by the max_sessions setting. ` +
      `Sessions idle for ${duration(limits.idleTimeoutSec)} (session_idle_timeout_sec) expire; end unused ones with DELETE /mcp, or raise max_sessions.`,
    { details: [{ path: 'max_sessions', message: `at most ${limits.maxSessions} sessions` }] },
  );
}

/**
 * Closes idle sessions on a timer, as a DELETE would: the session leaves the registry (a later
 * request on it gets 404 "Session not found") and its transport closes. The timer reads the
 * limits at every tick, so a changed setting applies without a restart; it runs a few times per
 * timeout (at most once a minute, at least every 250 ms) and does not keep the process alive.
 * Per request the sessions only update a number (`lastActivity`), after `expiredNow` compared it
 * with the timeout as set now.
 */
export class SessionSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly limits: () => SessionLimits,
    private readonly logger: Logger,
  ) {
    this.schedule();
  }

  /** Closes every session idle past the timeout now; returns how many it closed. */
  sweep(now = Date.now()): number {
    const { idleTimeoutSec } = this.limits();
    const idle = this.sessions.idle(now, idleTimeoutSec * 1000);
    for (const session of idle) this.expire(session, idleTimeoutSec);
    return idle.length;
  }

  /**
   * Expires `session` now if it has been idle past the timeout as the settings say now: a request
   * on it is then refused as on an expired one, whenever the next sweep would have come (a
   * timeout lowered from 30 minutes to 2 s took up to a minute to apply: a trial).
   *
   * @returns true when it expired
   */
  expiredNow(session: McpSession, now = Date.now()): boolean {
    const { idleTimeoutSec } = this.limits();
    if (session.busy || now - session.lastActivity < idleTimeoutSec * 1000) return false;
    this.expire(session, idleTimeoutSec);
    return true;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expire(session: McpSession, idleTimeoutSec: number): void {
    this.sessions.delete(session.id);
    this.logger.info('MCP session expired', { session: session.id, client: session.clientName, idle_timeout_sec: idleTimeoutSec });
    session.transport
      ?.close()
      .catch((error: Error) => this.logger.warn('closing an expired MCP session failed', { session: session.id, reason: error.message }));
  }

  private schedule(): void {
    const every = Math.min(60_000, Math.max(250, (this.limits().idleTimeoutSec * 1000) / 4));
    this.timer = setTimeout(() => {
      this.sweep();
      this.schedule();
    }, every);
    this.timer.unref();
  }
}
