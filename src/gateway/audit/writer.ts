import { isoNow } from '../../shared/iso-time.js';
import type { Logger } from '../log.js';
import { ArgumentRedactor, type RedactionContext } from './redact.js';
import { buildRow, type AuditCallFields, type AuditRow, type RedactionFor } from './row.js';
import type { AuditStore } from './store.js';

export interface WriterOptions<R> {
  store: AuditStore;
  /** A settled call's fields (`calls/`'s `callRecordFields`); called when its row is built, never on the call. */
  describe: (record: R) => AuditCallFields;
  redactionFor: RedactionFor;
  /** The highest id the trail has used (ids continue above it). */
  lastId: number;
  /** Built rows go here at once (the live stream), before they are written. */
  publish: (row: AuditRow) => void;
  logger?: Logger;
  /** The batch window (ms): a crash loses at most the records of one window. */
  flushMs?: number;
  /** A batch this large is written at once, whatever the window. */
  batchSize?: number;
  /** How soon a record's row is built (ms; default `DEFAULT_BUILD_MS`). */
  buildMs?: number;
}

/**
 * Each commit costs ~1.7 ms of CPU whatever its size (the journal, three \`fsync\`s): at 250 ms that
 * was ~3.5 µs a record at 1,900 calls/s, ~1 µs at 1 s. A crash loses at most this window.
 */
export const DEFAULT_FLUSH_MS = 1_000;
/** Records waiting (built or not) that make a batch at once: bounds what a burst holds in memory (~1 KB a row); README "Batching". */
export const DEFAULT_BATCH_SIZE = 20_000;

/**
 * How soon a record's row is built (ms): one timer for every record of that time. A build at the
 * next turn of the event loop (setImmediate) cost more per call than the build itself (the gateway
 * under 16 sessions: each turn's one or two records built apart, a timestamp formatted and a map
 * made per build, and a check phase every turn).
 */
export const DEFAULT_BUILD_MS = 20;

/**
 * Records that are built at the next turn whatever `buildMs` says: at a high rate (the store
 * bench's ingest: 90,000 records a second) 20 ms of records outlived two scavenges and went to
 * the old space (the ingest's CPU per record 13 → 20 µs); at the gateway's few thousand calls a
 * second 64 records are about 20 ms anyway.
 */
export const BUILD_RECORDS = 64;

/**
 * The audit trail's writer: the call record sink (O(1): an append to the pending batch, and at most
 * one timer per window), row building (redaction, response size, ids) off the call, and one
 * transaction per flush, every `flushMs` or `batchSize` records, and at `close`.
 */
export class AuditWriter<R> {
  private pending: R[] = [];
  private built: AuditRow[] = [];
  private lastId: number;
  private timer: NodeJS.Timeout | undefined;
  private building: NodeJS.Timeout | undefined;
  private buildSoon: NodeJS.Immediate | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly flushMs: number;
  private readonly batchSize: number;
  private readonly buildMs: number;
  /** Calls under no auth scope (most) share one redactor, whose key judgements are cached, until what it redacts changes. */
  private unscoped: ArgumentRedactor;
  private unscopedKey: string;

  constructor(private readonly options: WriterOptions<R>) {
    this.lastId = options.lastId;
    this.flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.buildMs = options.buildMs ?? DEFAULT_BUILD_MS;
    const context = options.redactionFor(null);
    this.unscoped = new ArgumentRedactor(context);
    this.unscopedKey = contextKey(context);
  }

  /**
   * The redactor of calls under no scope, made again when its words or values changed since the
   * last batch (a `redaction_words` setting saved meanwhile applies to the next record).
   */
  private unscopedRedactor(): ArgumentRedactor {
    const context = this.options.redactionFor(null);
    const key = contextKey(context);
    if (key !== this.unscopedKey) {
      this.unscoped = new ArgumentRedactor(context);
      this.unscopedKey = key;
    }
    return this.unscoped;
  }

  /** The call record sink's `record`: keeps the reference; never throws, never waits. */
  record(record: R): void {
    if (this.closed) return;
    this.pending.push(record);
    // Waiting: taken but not yet written, built or not (a build moves records from one to the other).
    if (this.pending.length + this.built.length === this.batchSize)
      setImmediate(() => void this.flush()); // a full batch: next turn, not on this call
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    // Rows are built within `buildMs`, or at the next turn once BUILD_RECORDS wait, not at the flush:
    // a reader sees the record at once for a person, and the call's record (its arguments, its
    // result) dies young instead of waiting in the heap long enough to outlive two scavenges and be
    // copied to the old space (at tens of thousands of records a second, 20 ms is that long).
    if (this.pending.length === BUILD_RECORDS) this.buildSoon ??= setImmediate(this.buildNow);
    this.building ??= setTimeout(this.buildNow, this.buildMs);
  }

  /** The highest id given out so far (built rows, written or not). */
  get highestId(): number {
    return this.lastId;
  }

  private readonly buildNow = (): void => this.build();

  /** Builds the rows of the pending records, in order, and publishes them. */
  build(): void {
    if (this.building) clearTimeout(this.building);
    if (this.buildSoon) clearImmediate(this.buildSoon);
    this.building = undefined;
    this.buildSoon = undefined;
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    const createdAt = isoNow();
    // A scope's hints and values may change with the config: read once per batch (most calls have no scope).
    let scoped: Map<string, ArgumentRedactor> | undefined;
    const unscoped = this.unscopedRedactor();
    for (const record of records) {
      let row: AuditRow;
      try {
        const fields = this.options.describe(record);
        const scope = fields.auth_scope_id;
        let redactor = scope === null ? unscoped : scoped?.get(scope);
        if (!redactor) (scoped ??= new Map()).set(scope!, (redactor = new ArgumentRedactor(this.options.redactionFor(scope))));
        row = buildRow(fields, ++this.lastId, createdAt, redactor);
      } catch (error) {
        this.options.logger?.error('audit record could not be built; it is left out', { reason: error instanceof Error ? error.message : String(error) });
        continue;
      }
      this.built.push(row);
      this.options.publish(row);
    }
  }

  /**
   * Writes everything recorded so far in one transaction (after any flush already running).
   * A batch the store refuses is logged and dropped, so it cannot block the batches after it.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.build();
    const rows = this.built;
    this.built = [];
    if (rows.length === 0) return this.chain;
    this.chain = this.chain.then(async () => {
      try {
        await this.options.store.insert(rows);
      } catch (error) {
        this.options.logger?.error('audit batch could not be written; its records are lost', {
          records: rows.length,
          first_id: rows[0]!.id,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    });
    return this.chain;
  }

  /** Flushes what is left and takes no more records. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.building) clearTimeout(this.building);
    if (this.buildSoon) clearImmediate(this.buildSoon);
    this.building = undefined;
    this.buildSoon = undefined;
  }
}

/** What a redaction context holds, as one string to compare. */
function contextKey(context: RedactionContext): string {
  return `${(context.hints ?? []).join('\u0000')}\u0001${(context.values ?? []).join('\u0000')}`;
}
