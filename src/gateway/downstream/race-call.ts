/** Waits for a shared promise on behalf of one call, giving up on the call's timeout or abort signal. */
import type { CallOptions } from './types.js';

export function raceCall<T>(shared: Promise<T>, opts: Pick<CallOptions, 'signal' | 'timeoutMs'>, onAbort: () => Error, onTimeout: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const signal = opts.signal;
    const aborted = (): void => settle(() => reject(onAbort()));
    const timer = setTimeout(() => settle(() => reject(onTimeout())), opts.timeoutMs);
    signal?.addEventListener('abort', aborted, { once: true });
    function settle(action: () => void): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      action();
    }
    shared.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
