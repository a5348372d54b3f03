/**
 * One instance's consecutive failures: the count, the last error, and when the next start may
 * begin (`restartDelay`). A connection that stayed up `healthyAfterMs` resets the count, and so
 * does one that answered a call and stayed up `servedUpMs` (it started well: its crash is a crash,
 * not a crash loop; supervisord's `startsecs` is the same rule).
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
  /** The current connection answered a call successfully. */
  private hasServed = false;

  constructor(
    private readonly healthyAfterMs: number,
    private readonly backoff: BackoffPolicy,
    private readonly servedUpMs = Infinity,
  ) {}

  /** A connection became ready at `now` (epoch ms). */
  ready(now: number): void {
    this.readyAt = now;
    this.hasServed = false;
  }

  /** The current connection answered a call successfully. */
  served(): void {
    this.hasServed = true;
  }

  /** Whether the current connection has proved itself: up `healthyAfterMs`, or served and up `servedUpMs`. */
  private healthy(now: number): boolean {
    if (this.readyAt === 0) return false;
    const up = now - this.readyAt;
    return up >= this.healthyAfterMs || (this.hasServed && up >= this.servedUpMs);
  }

  /** One more failure, with its (already redacted) message. */
  record(message: string, now = Date.now()): void {
    if (this.healthy(now)) this.count = 0;
    this.readyAt = 0;
    this.hasServed = false;
    this.count++;
    this.lastError = message;
    this.lastErrorAt = now;
    this.nextStartAt = now + restartDelay(this.count, this.backoff);
  }

  /** The count as health shows it: 0 once a ready connection has proved itself (`healthy`). */
  consecutive(ready: boolean, now = Date.now()): number {
    if (ready && this.healthy(now)) this.count = 0;
    return this.count;
  }
}
