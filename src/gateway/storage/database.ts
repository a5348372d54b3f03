import { chmodSync, existsSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { Kysely, Migrator, type KyselyPlugin, type Migration } from 'kysely';
import { Database } from 'node-sqlite3-wasm';
import { GatewayError } from '../errors.js';
import { BatchStatement } from './batch-statement.js';
import { wasmSqliteDialect } from './wasm-dialect.js';

/** The one database of a data dir (`audit.db`): Kysely over it, and what only the engine can tell. */
export interface Storage<DB> {
  /** Portable queries only (a team gateway runs the same ones on PostgreSQL). */
  readonly db: Kysely<DB>;
  /** Which engine is underneath; a migration picks a column type by it (`integer` rowid vs `bigint`). */
  readonly engine: 'sqlite';
  /**
   * Runs one statement (SQL compiled by Kysely, so portable) once per parameter list, in one
   * transaction, with one prepared statement, kept prepared for the next batch of the same SQL
   * (finalized at close), binding only the values that differ from the previous row's
   * (`BatchStatement`): the bulk insert of a batch without preparing anything per row or per
   * batch. All or nothing. For statements that return no rows (INSERT, UPDATE, DELETE).
   */
  runBatch(sql: string, rows: ReadonlyArray<readonly unknown[]>): Promise<void>;
  /** Lets the engine refresh its planner statistics (cheap; after big changes). */
  optimize(): Promise<void>;
  /** Bytes the rows and indexes occupy (pages in use; free pages are reused by later writes). */
  usedBytes(): Promise<number>;
  /** Finishes the open statement and closes the file; idempotent. */
  close(): Promise<void>;
}

/**
 * Rows of a batch run between two turns of the event loop (`runBatch`): ~64 × 6 µs, so a call that
 * comes in during a flush waits at most about 0.4 ms for it (256 rows held calls up to ~2 ms, the
 * size of the gateway's p99 at one session). A turn between slices costs a few µs.
 */
export const BATCH_SLICE = 64;

/**
 * The page size of a new file. A batch of audit rows cost ~0.8 µs a row less with 16 KiB pages
 * than with SQLite's default 4 KiB (fewer pages to journal, write and balance per commit; 8 KiB
 * was between, 64 KiB worse), and a filtered page of `GET /audit` reads fewer pages.
 */
const PAGE_BYTES = 16 * 1024;

/** SQLite's page cache, which EXCLUSIVE locking keeps across statements. */
const CACHE_KIB = 32 * 1024;

/** Migrations as code, by name; applied in name order (Kysely's `Migrator`). */
export type Migrations = Record<string, Migration>;

/**
 * Opens (creating it, mode 0600) the SQLite file through `node-sqlite3-wasm` and brings its schema
 * up to date. The daemon owns the file: `locking_mode=EXCLUSIVE` keeps SQLite's page cache across
 * statements (reads ~30× faster than autocommit here), so no other process may open it while the
 * gateway runs. No WAL (the WebAssembly VFS has no shared memory): the journal stays `delete`, and
 * writers batch rows into one `BEGIN…COMMIT` (ARCHITECTURE.md §4). LIKE is made case-sensitive as
 * PostgreSQL's is, so a pattern means the same on both engines.
 *
 * @param file absolute path of the database file
 * @param migrations the schema, as Kysely migrations
 * @throws GatewayError `internal` naming the file when it cannot be opened or migrated (not a
 *   database, locked by another process, a migration that fails)
 */
export async function openStorage<DB>(file: string, migrations: Migrations): Promise<Storage<DB>> {
  clearStaleLock(file);
  let raw: Database;
  try {
    raw = new Database(file);
    chmodSync(file, 0o600);
    await nextTurn();
    // Only a new, empty file takes it (an existing one keeps the size it was made with).
    raw.exec(`PRAGMA page_size = ${PAGE_BYTES}`);
    raw.exec('PRAGMA locking_mode = EXCLUSIVE');
    await nextTurn();
    raw.exec('PRAGMA journal_mode = DELETE');
    raw.exec(`PRAGMA cache_size = -${CACHE_KIB}`); // negative: in KiB
    raw.exec('PRAGMA case_sensitive_like = ON');
  } catch (error) {
    throw cannotOpen(file, error);
  }
  let opening = true;
  const db = new Kysely<DB>({ dialect: wasmSqliteDialect(raw), plugins: [yieldingWhile(() => opening)] });
  try {
    // The whole schema step in one transaction: one commit (each statement in autocommit syncs
    // the journal and the file: ~20 syncs on a new file, most of a cold open), and a migration
    // that fails leaves nothing half made. Kysely's SQLite adapter does not wrap DDL itself.
    raw.exec('BEGIN IMMEDIATE');
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
    raw.exec('COMMIT');
  } catch (error) {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    await db.destroy().catch(() => undefined);
    throw cannotOpen(file, error);
  } finally {
    opening = false;
  }
  // The lock is ours now (EXCLUSIVE mode keeps it from the first read until close): say whose.
  writeFileSync(`${file}.owner`, JSON.stringify({ pid: process.pid }), { mode: 0o600 });
  privateLockDir(file);
  let closed: Promise<void> | undefined;
  await nextTurn();
  // Batch statements stay prepared between flushes (few distinct SQL texts: one per table written in batches).
  const prepared = new Map<string, BatchStatement>();
  // Quick statistics for the planner (analysis_limit bounds the work on a big table).
  raw.exec('PRAGMA analysis_limit = 1000');
  raw.exec('PRAGMA optimize = 0x10002');
  return {
    db,
    engine: 'sqlite',
    runBatch: (sql, rows) =>
      // Kysely's one connection, held for the batch: nothing else runs inside this transaction.
      db.connection().execute(async () => {
        let statement = prepared.get(sql);
        if (!statement) prepared.set(sql, (statement = new BatchStatement(raw, raw.prepare(sql))));
        raw.exec('BEGIN');
        try {
          for (let i = 0; i < rows.length; i++) {
            statement.run(rows[i]!);
            // A turn of the event loop every slice: a big batch (~10 µs a row) never holds the calls
            // for more than a few ms; statements on the file wait for this connection meanwhile.
            if (i % BATCH_SLICE === BATCH_SLICE - 1 && i < rows.length - 1) await nextTurn();
          }
          raw.exec('COMMIT');
        } catch (error) {
          if (raw.inTransaction) raw.exec('ROLLBACK');
          // A statement whose step failed keeps the error (its reset answers it): never reuse it.
          prepared.delete(sql);
          statement.finalize();
          throw error;
        }
      }),
    optimize: () =>
      db.connection().execute(async () => {
        raw.exec('PRAGMA optimize');
      }),
    async usedBytes() {
      const [pages] = raw.all('PRAGMA page_count') as Array<{ page_count: number }>;
      const [free] = raw.all('PRAGMA freelist_count') as Array<{ freelist_count: number }>;
      const [size] = raw.all('PRAGMA page_size') as Array<{ page_size: number }>;
      return (Number(pages?.page_count ?? 0) - Number(free?.freelist_count ?? 0)) * Number(size?.page_size ?? 4096);
    },
    close() {
      closed ??= db
        // Kysely's connection, so no batch is running: the kept statements go before the file closes.
        .connection()
        .execute(async () => {
          for (const statement of prepared.values()) statement.finalize();
          prepared.clear();
        })
        .then(() => db.destroy())
        .then(() => rmSync(`${file}.owner`, { force: true }));
      return closed;
    },
  };
}

/**
 * The engine is synchronous, and a process's first statements are slow (V8 compiles SQLite's
 * WebAssembly function by function on first use; a commit waits for the disk): tens of ms each on a
 * busy machine. The open therefore gives the event loop a turn between its statements, so a
 * gateway that opens the file behind its listener answers the requests that came in meanwhile.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A turn of the event loop after each query while `active()` (Kysely calls `transformResult` once per query, DDL included). */
function yieldingWhile(active: () => boolean): KyselyPlugin {
  return {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      if (active()) await nextTurn();
      return args.result;
    },
  };
}

/**
 * node-sqlite3-wasm locks a database with a directory beside it (`<file>.lock`, made by mkdir),
 * which a process killed with SIGKILL leaves behind: every later open would fail as "locked".
 * `<file>.owner` names the process that holds it; when that process is gone (or never said), the
 * lock is stale and removed (SQLite then rolls back a half-written transaction from its journal).
 */
function clearStaleLock(file: string): void {
  const lock = `${file}.lock`;
  if (!existsSync(lock)) return;
  let owner: number | undefined;
  try {
    owner = (JSON.parse(readFileSync(`${file}.owner`, 'utf8')) as { pid?: number }).pid;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) return; // really held: the open reports it
  if (owner === process.pid) return; // this process holds it (another open in the same process)
  rmdirSync(lock);
}

/**
 * The engine makes its lock directory with the process's umask (0755 under the usual 022), beside
 * files the gateway keeps 0600: the data dir (0700) already hides it, but nothing of the gateway's
 * should be more open than its files.
 */
function privateLockDir(file: string): void {
  try {
    chmodSync(`${file}.lock`, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function cannotOpen(file: string, error: unknown): GatewayError {
  const reason = error instanceof Error ? error.message : String(error);
  return new GatewayError(
    'internal',
    `cannot open the audit database ${file}: ${reason}. Another gateway may hold it (${file}.owner names its pid), or it is not an SQLite file: stop the other gateway, or move the file aside and start again`,
    { cause: error },
  );
}
