import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { DAEMON_V8_FLAGS } from '../../shared/daemon-v8-flags.js';
import type { SqliteApprovalStore } from './approval-store-sqlite.js';
import { checkSqliteHeader } from './file-header.js';
import { AUDIT_FILE } from './file-name.js';
import type { AuditOptions, AuditTrail } from './open.js';

/**
 * Opens the audit trail (see `open.ts`), loading its engine (SQLite in WebAssembly, Kysely) only
 * now: a gateway that starts does not compile or instantiate them before it listens.
 *
 * @throws GatewayError `internal` when the file cannot be opened or migrated (see `openStorage`)
 */
export async function openAudit<R>(options: AuditOptions<R>): Promise<AuditTrail<R>> {
  limitWasmCompilation();
  const { openAudit: open } = await import('./open.js');
  return open(options);
}

/** The daemon's V8 flags for SQLite's WebAssembly (see `DAEMON_V8_FLAGS`), set before the engine loads. */
function limitWasmCompilation(): void {
  for (const flag of DAEMON_V8_FLAGS) setFlagsFromString(flag);
}

/** The audit trail while `audit.db` opens behind it; `opened` says when it has. */
export interface OpeningAuditTrail<R> extends Omit<AuditTrail<R>, 'store' | 'approvals'> {
  /** The approval store on the same file (`approvals/`'s `ApprovalStore`), its calls queued until the file is open. */
  readonly approvals: ApprovalCalls;
  /** Resolves once the file is open and everything that waited for it has been handed over; rejects with what `openAudit` threw. */
  readonly opened: Promise<void>;
}

/** The SQLite approval store's public calls. */
type ApprovalCalls = { [K in keyof SqliteApprovalStore]: SqliteApprovalStore[K] };

/** Runs `use` on the opened value: calls made before it opened run after it, one at a time in call order; later calls go straight through. */
type Queue<T> = <U>(use: (value: T) => Promise<U>) => Promise<U>;

function queueUntil<T>(opening: Promise<T>): Queue<T> {
  let value: T | undefined;
  let waiting = 0;
  // A failed open reaches each caller through `opening` below; the tail only orders them.
  let tail: Promise<unknown> = opening.then(
    (opened) => void (value = opened),
    () => undefined,
  );
  return (use) => {
    if (value !== undefined && waiting === 0) return use(value);
    waiting += 1;
    const result = tail.then(() => opening).then(use);
    tail = result.then(
      () => void (waiting -= 1),
      () => void (waiting -= 1),
    );
    return result;
  };
}

/**
 * The audit trail from the first moment of a gateway's start, while `audit.db` is opened in the
 * background (loading the engine and migrating a new file take most of a cold start otherwise):
 * the gateway listens and answers meanwhile, and nothing is lost or reordered.
 *
 * - The sink keeps records in memory until the file is open, then hands them to the writer in the
 *   order they came (they get their ids then, in that order).
 * - `query`, `flush` and `prune` wait for the open (a page asked for meanwhile includes the
 *   records taken before it, as always); a stream opened meanwhile starts once the file is open.
 * - The approval store's calls made meanwhile run after the open, one at a time in call order, so
 *   the start's "cancel what the last run left pending" runs before any new request is stored.
 * - When the open fails, every one of these rejects (a stream ends) with its error; `close` then
 *   has nothing to close.
 *
 * The open starts after the current turn of the event loop and gives the loop a turn after loading
 * the engine and between the statements of the open (`openStorage`), so that requests received
 * meanwhile are answered in between rather than after it.
 */
export function openAuditInBackground<R>(options: AuditOptions<R>): OpeningAuditTrail<R> {
  // A file that is no database fails the start here, before the gateway says it listens; the rest
  // of the open (the engine, the schema) stays behind the listener.
  checkSqliteHeader(path.join(options.dataDir, AUDIT_FILE));
  const opening = (async () => {
    await new Promise((resolve) => setImmediate(resolve));
    limitWasmCompilation();
    const { openAudit: open } = await import('./open.js');
    await new Promise((resolve) => setImmediate(resolve));
    return open(options);
  })();
  let trail: AuditTrail<R> | undefined;
  let early: R[] | undefined = [];
  const opened = opening.then(
    (value) => {
      for (const record of early!) value.sink.record(record);
      early = undefined;
      trail = value;
    },
    (error: unknown) => {
      early = undefined; // the gateway stops: nothing will take them
      throw error;
    },
  );
  // Nothing is left unhandled when no one waits on `opened` (the composition root does).
  opened.catch(() => undefined);
  const onTrail = queueUntil(opened.then(() => trail!));
  const onApprovals = queueUntil(opened.then(() => trail!.approvals));
  const approvals: ApprovalCalls = {
    insert: (record) => onApprovals((store) => store.insert(record)),
    resolve: (id, update) => onApprovals((store) => store.resolve(id, update)),
    get: (id) => onApprovals((store) => store.get(id)),
    list: (query) => onApprovals((store) => store.list(query)),
    cancelPending: (resolution, at) => onApprovals((store) => store.cancelPending(resolution, at)),
    counts: () => onApprovals((store) => store.counts()),
  };
  return {
    opened,
    sink: {
      record(record) {
        if (trail) trail.sink.record(record);
        else early?.push(record);
      },
    },
    approvals,
    query: (query) => onTrail((value) => value.query(query)),
    flush: () => onTrail((value) => value.flush()),
    prune: () => onTrail((value) => value.prune()),
    stream(target, filter, lastEventId) {
      if (trail) return trail.stream(target, filter, lastEventId);
      let end: (() => void) | undefined;
      let ended = false;
      opened.then(
        () => {
          if (!ended) end = trail!.stream(target, filter, lastEventId);
        },
        (error: unknown) => {
          options.logger?.error('audit stream not started: the audit trail did not open', { reason: error instanceof Error ? error.message : String(error) });
          target.end();
        },
      );
      return () => {
        ended = true;
        end?.();
      };
    },
    close: () =>
      opened.then(
        () => trail!.close(),
        () => undefined, // never opened: nothing to flush or close
      ),
  };
}
