import path from 'node:path';
import type { Logger } from '../log.js';
import { openStorage } from '../storage/index.js';
import { SqliteApprovalStore } from './approval-store-sqlite.js';
import { AUDIT_FILE } from './file-name.js';
import type { AuditQuery } from './query.js';
import { pruneAudit, scheduleRetention, type RetentionSettings } from './retention.js';
import { presentRow, type AuditCallFields, type AuditRecordView, type NameLookup, type RedactionFor } from './row.js';
import { auditMigrations, type AuditDatabase } from './schema.js';
import { SqliteAuditStore } from './sqlite-store.js';
import type { AuditFilter, AuditStore } from './store.js';
import { AuditStreamHub, type StreamTarget } from './stream.js';
import { AuditWriter } from './writer.js';

/** The data dir's one database: the audit trail and the approvals. */
export { AUDIT_FILE };

export interface AuditOptions<R> {
  dataDir: string;
  /** A settled call's fields (`calls/`'s `callRecordFields`), called off the call when its row is built. */
  describe: (record: R) => AuditCallFields;
  /** What marks a secret for calls under an auth scope: its `redaction_hints`, its values. */
  redactionFor: RedactionFor;
  /** The current names of rules and servers (records show them). */
  names: NameLookup;
  /** `audit_retention_days`, `audit_max_mb`, read at each pruning. */
  settings: () => RetentionSettings;
  logger?: Logger;
  /** Batch window (ms, default 250) and stream heartbeat (ms, default 15 s); tests shorten them. */
  flushMs?: number;
  heartbeatMs?: number;
}

/** One page of `GET /audit`. */
export interface AuditPage {
  data: AuditRecordView[];
  total: number;
  limit: number;
  offset: number;
}

export interface AuditTrail<R> {
  /** The call record sink: O(1), never throws. */
  readonly sink: { record(record: R): void };
  readonly store: AuditStore;
  /** The `ApprovalStore` of `approvals/`, on the same file. */
  readonly approvals: SqliteApprovalStore;
  query(query: AuditQuery): Promise<AuditPage>;
  /** Streams records to `target` (SSE), replaying from `lastEventId`; returns the function that ends it. */
  stream(target: StreamTarget, filter: AuditFilter, lastEventId: number | undefined): () => void;
  /** Writes every record taken so far. */
  flush(): Promise<void>;
  /** Applies the retention settings now; returns how many records went. */
  prune(): Promise<number>;
  /** Flushes, ends the streams, closes the file; idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the audit trail on `<dataDir>/audit.db`: the store, the batching writer behind the sink,
 * the live stream, retention on a timer. Ids continue above both the highest stored id and the
 * clock (ms × 1000), so ids of a batch lost in a crash are never given to other records.
 *
 * @throws GatewayError `internal` when the file cannot be opened or migrated (see `openStorage`)
 */
export async function openAudit<R>(options: AuditOptions<R>): Promise<AuditTrail<R>> {
  const storage = await openStorage<AuditDatabase>(path.join(options.dataDir, AUDIT_FILE), auditMigrations('sqlite'));
  const store = new SqliteAuditStore(storage);
  const lastId = Math.max(await store.maxId(), Date.now() * 1000);
  let writer: AuditWriter<R> | undefined;
  const hub = new AuditStreamHub({
    names: options.names,
    replay: (afterId, filter, limit) => store.since(afterId, filter, limit),
    flush: () => writer!.flush(),
    logger: options.logger,
    heartbeatMs: options.heartbeatMs,
  });
  writer = new AuditWriter<R>({
    store,
    describe: options.describe,
    redactionFor: options.redactionFor,
    lastId,
    publish: (row) => hub.publish(row),
    logger: options.logger,
    flushMs: options.flushMs,
  });
  let pruning: Promise<number> | undefined;
  const prune = () => (pruning ??= pruneAudit(store, options.settings()).finally(() => (pruning = undefined)));
  const stopRetention = scheduleRetention(prune, options.logger);
  const sink = writer;
  let closing: Promise<void> | undefined;
  return {
    sink: { record: (record) => sink.record(record) },
    store,
    approvals: new SqliteApprovalStore(storage),
    async query({ filter, limit, offset }) {
      await sink.flush();
      const { rows, total } = await store.query(filter, limit, offset);
      return { data: rows.map((row) => presentRow(row, options.names)), total, limit, offset };
    },
    stream: (target, filter, lastEventId) => hub.open(target, filter, lastEventId),
    flush: () => sink.flush(),
    prune,
    close() {
      closing ??= (async () => {
        stopRetention();
        await sink.close();
        hub.close();
        await pruning?.catch(() => undefined);
        await store.close();
      })();
      return closing;
    },
  };
}
