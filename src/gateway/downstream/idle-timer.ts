/**
 * Stops an instance after `idleMs` without calls. One timer per instance, re-armed lazily: a call
 * only records the time it ended, and the timer, when it fires early, sleeps for the remainder.
 */
export class IdleTimer {
  /** When the last call ended (or the instance became ready). */
  lastActivity = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly idleMs: () => number,
    private readonly isQuiet: () => boolean,
    private readonly onIdle: () => void,
  ) {}

  /** Starts the countdown unless it is running or idle stop is off (0). */
  arm(): void {
    const ms = this.idleMs();
    if (ms > 0 && this.timer === null) this.schedule(ms);
  }

  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(this.check, ms);
    this.timer.unref();
  }

  private readonly check = (): void => {
    this.timer = null;
    const ms = this.idleMs();
    if (ms <= 0 || !this.isQuiet()) return; // a busy instance re-arms when its last call ends
    const quiet = Date.now() - this.lastActivity;
    if (quiet >= ms) this.onIdle();
    else this.schedule(ms - quiet);
  };
}
