import type { DrainResponse } from '../../shared/schemas/daemon.js';
import type { Logger } from '../log.js';

export interface DrainDependencies {
  /** Refuses new MCP sessions from now on (the MCP front's `drain`). */
  refuseSessions: () => void;
  /** Calls in flight, and a promise of the moment there are none (the call pipeline's). */
  inFlight: () => number;
  whenIdle: () => Promise<void>;
  /** The longest wait for calls in flight (ms), after which the daemon stops anyway (read when the drain starts). */
  maxWaitMs: () => number;
  /** Stops the daemon (what `POST /shutdown` does). */
  stop: () => void;
  logger: Logger;
}

/**
 * `POST /api/v1/drain`: the way a newer extension replaces an older daemon without breaking a
 * call. New MCP sessions are refused at once (503, `draining`); open sessions go on, their calls
 * in flight finish (at most `maxWaitMs`, the call timeout); then the daemon stops and releases
 * its lock. Calling it again answers the same and starts nothing.
 * @returns `drain()` (what the endpoint answers) and `draining()` (health's flag)
 */
export function createDrain(deps: DrainDependencies): { drain(): DrainResponse; draining(): boolean } {
  let started = false;
  return {
    draining: () => started,
    drain() {
      const inFlight = deps.inFlight();
      if (!started) {
        started = true;
        deps.refuseSessions();
        deps.logger.info('draining: new MCP sessions are refused; stopping once the calls in flight end', { in_flight: inFlight });
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, deps.maxWaitMs())));
        void Promise.race([deps.whenIdle(), limit]).then(() => {
          clearTimeout(timer);
          if (deps.inFlight() > 0) deps.logger.warn('drain: calls still in flight after the wait; stopping anyway', { in_flight: deps.inFlight() });
          deps.stop();
        });
      }
      return { draining: true, in_flight: inFlight };
    },
  };
}
