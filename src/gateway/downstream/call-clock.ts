/**
 * The timeout of one request to a downstream (`call_timeout_sec`), as a clock that stops while the
 * server waits for the client. A server that asks the person something in the middle of a call
 * (`elicitation/create`) or has the client's model write for it (`sampling/createMessage`) is not
 * slow meanwhile: the time is the person's. Before, a person who took longer than the call timeout
 * to fill in a form got "did not respond within 60 s" about a server that was waiting for them.
 * How long the client itself may take is bounded elsewhere (`ClientHooks.clientWaitMs`).
 *
 * MCP 2025-11-25 Basic › Lifecycle › Timeouts: a sender should time out its requests, may reset
 * the clock on progress (`touch`), and should still enforce a maximum.
 */

/**
 * setTimeout's largest delay (ms): the SDK arms its own timer with the value it is given, and a
 * longer one fires at once (Node clamps it to 1 ms).
 */
export const MAX_TIMER_MS = 2_147_483_647;

export class CallClock {
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires (ms since the epoch); while stopped, what was left of it. */
  private dueAt: number;
  private remaining = 0;
  /** Server→client requests waiting for the client: the clock runs only at 0. */
  private waiting = 0;
  private done = false;

  /**
   * Starts the clock at once.
   *
   * @param timeoutMs how long the request may take, client time left out (ms)
   * @param onTimeout called once when it is up (never after `stop`)
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly onTimeout: () => void,
  ) {
    this.dueAt = Date.now() + timeoutMs;
    this.timer = setTimeout(this.fire, timeoutMs);
  }

  /** A server→client request of this call went to the client: the clock stops until it is answered. */
  pause(): void {
    if (this.done || this.waiting++ > 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.remaining = Math.max(0, this.dueAt - Date.now());
  }

  /** One of those requests was answered (or failed): with none left waiting, the clock goes on from where it stopped. */
  resume(): void {
    if (this.done || this.waiting === 0 || --this.waiting > 0) return;
    this.dueAt = Date.now() + this.remaining;
    this.timer = setTimeout(this.fire, this.remaining);
  }

  /** Progress from the server: the full timeout again (when it runs; a stopped clock stays stopped). */
  touch(): void {
    if (this.done || this.waiting > 0) return;
    clearTimeout(this.timer);
    this.dueAt = Date.now() + this.timeoutMs;
    this.timer = setTimeout(this.fire, this.timeoutMs);
  }

  /** The request settled: the clock never fires. */
  stop(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly fire = (): void => {
    if (this.done) return;
    this.done = true;
    this.timer = undefined;
    this.onTimeout();
  };
}
