/**
 * One instance's consecutive failures: the count, the last error, and when the next start may
 * begin (`restartDelay`). A connection that stayed up `healthyAfterMs` resets the count.
 */
import { restartDelay, type BackoffPolicy } from './backoff.js';

export class FailureRecord {
  /** Consecutive failures (starts that failed, connections that died). */
  count = 0;
  /** When the next start may begin (epoch ms). */
  nextStartAt = 0;
  lastError?: string;
  lastErrorAt?: number;
  /** When the current connection became ready (epoch ms; 0: none is). */
  private readyAt = 0;

  constructor(
    private readonly healthyAfterMs: number,
    private readonly backoff: BackoffPolicy,
  ) {}

  /** A connection became ready at `now` (epoch ms). */
  ready(now: number): void {
    this.readyAt = now;
  }

  /** One more failure, with its (already redacted) message. */
  record(message: string, now = Date.now()): void {
    if (this.readyAt !== 0 && now - this.readyAt >= this.healthyAfterMs) this.count = 0;
    this.readyAt = 0;
    this.count++;
    this.lastError = message;
    this.lastErrorAt = now;
    this.nextStartAt = now + restartDelay(this.count, this.backoff);
  }

  /** The count as health shows it: 0 once a ready connection has stayed up `healthyAfterMs`. */
  consecutive(ready: boolean, now = Date.now()): number {
    if (ready && this.readyAt !== 0 && now - this.readyAt >= this.healthyAfterMs) this.count = 0;
    return this.count;
  }
}
