/**
 * A trailing throttle for async work: `trigger()` asks for one run of the task "soon"; however many
 * triggers arrive, a run starts at most once per `intervalMs`, never while another is in flight, and
 * a trigger that arrives during a run gets one more run after it (so the last trigger is always
 * followed by a run that sees it). Runs are trailing: the first starts `intervalMs` after the trigger
 * that woke the throttle, so a burst is one run, not a run plus one more.
 *
 * The clock is injectable so the tests drive time by hand.
 */
export interface ThrottleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class TrailingThrottle {
  private timer: unknown;
  private running = false;
  /** A trigger came while a run was in flight: run once more after it. */
  private again = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private stopped = false;

  /**
   * @param task the work; its rejection goes to `onError` (the throttle keeps going)
   * @param intervalMs the least time between two run starts, ms
   */
  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly clock: ThrottleClock = realClock,
  ) {}

  /** Asks for a run; cheap to call at any rate (one comparison while a run is already planned). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => void this.run(), this.intervalMs);
  }

  /** Whether a run is planned or in flight. */
  get busy(): boolean {
    return this.running || this.timer !== undefined;
  }

  /** Cancels a planned run; a run in flight finishes but plans nothing more. Idempotent. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.again = false;
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    this.running = true;
    this.lastStart = this.clock.now();
    try {
      await this.task();
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
      if (this.again && !this.stopped) {
        this.again = false;
        const wait = Math.max(0, this.lastStart + this.intervalMs - this.clock.now());
        this.timer = this.clock.setTimeout(() => void this.run(), wait);
      }
    }
  }
}
