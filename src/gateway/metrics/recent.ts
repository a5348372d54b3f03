/** A recent call as the dashboard lists it: audit's field names (whatever `describe` makes of a record), a plain object. */
export type RecentEntry = object;

/**
 * The last `capacity` calls, newest first. Taking a call stores one reference in a preallocated
 * slot (O(1), nothing allocated); the record is turned into its plain fields only when read or
 * saved (`settle`), which also drops the reference, so a record's arguments and result are held
 * at most until the next save.
 */
export class RecentRing<R> {
  private readonly live: Array<R | undefined>;
  private readonly settled: Array<RecentEntry | undefined>;
  /** When each slot's call settled (ms since the epoch), to leave out calls older than a window. */
  private readonly times: Float64Array;
  /** The next slot to write. */
  private next = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly describe: (record: R) => RecentEntry,
  ) {
    this.live = new Array<R | undefined>(capacity).fill(undefined);
    this.settled = new Array<RecentEntry | undefined>(capacity).fill(undefined);
    this.times = new Float64Array(capacity);
  }

  /** @param atMs when the call settled */
  push(record: R, atMs: number): void {
    this.live[this.next] = record;
    this.times[this.next] = atMs;
    this.settled[this.next] = undefined;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  /** The newest `limit` entries that settled at or after `sinceMs`, newest first. */
  list(limit = this.capacity, sinceMs = -Infinity): RecentEntry[] {
    this.settle();
    const out: RecentEntry[] = [];
    for (let i = 1; i <= this.count && out.length < limit; i++) {
      const slot = (this.next - i + this.capacity) % this.capacity;
      if (this.times[slot]! < sinceMs) break;
      out.push(this.settled[slot]!);
    }
    return out;
  }

  /** Turns every held record into its fields and lets the record go. */
  settle(): void {
    for (let slot = 0; slot < this.capacity; slot++) {
      const record = this.live[slot];
      if (record === undefined) continue;
      this.settled[slot] = this.describe(record);
      this.live[slot] = undefined;
    }
  }

  /**
   * Puts back entries read from metrics.json (newest first, as `list` gives them); non-objects
   * are skipped. `at` reads when an entry settled (its `created_at`/`timestamp`).
   */
  load(stored: unknown, at: (entry: RecentEntry) => number): void {
    if (!Array.isArray(stored)) return;
    const entries = stored.filter((e): e is RecentEntry => typeof e === 'object' && e !== null && !Array.isArray(e)).slice(0, this.capacity);
    for (let i = entries.length - 1; i >= 0; i--) {
      this.settled[this.next] = entries[i];
      this.times[this.next] = at(entries[i]!);
      this.live[this.next] = undefined;
      this.next = (this.next + 1) % this.capacity;
      if (this.count < this.capacity) this.count += 1;
    }
  }
}
