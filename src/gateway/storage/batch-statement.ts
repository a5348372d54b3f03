import * as engineModule from 'node-sqlite3-wasm';
import type { BindValues, Database, Statement } from 'node-sqlite3-wasm';

/**
 * The part of node-sqlite3-wasm 0.8.60 under its public `Statement.run` that a batch uses: the
 * engine's own `sqlite3_reset` and `sqlite3_step` (exported by the module as `_sqlite3_*`) and the
 * statement's binding of one value (`_bindValue`, the one `run` calls per value). Checked at
 * prepare: another version without them gets `run`, which is slower, not wrong.
 */
interface Internals {
  engine: { _sqlite3_reset(statement: number): number; _sqlite3_step(statement: number): number };
  statement: Statement & { _ptr: number; _bindValue(value: unknown, position: number): void };
  database: Database & { _handleError(code: number): void };
}

/** The module object (CommonJS: Node's ESM import puts it under `default`; a bundle, at the top). */
const engine: unknown = (engineModule as { default?: unknown }).default ?? engineModule;

/** SQLite's result codes (sqlite.org/rescode.html) that `step` of an INSERT may end with. */
const SQLITE_OK = 0;
const SQLITE_DONE = 101;

/** A value no row holds: every parameter is bound for the first row. */
const UNBOUND = Symbol('unbound');

/**
 * One prepared statement run once per row of a batch, binding only the values that differ from
 * the previous row's. SQLite keeps a statement's bindings across `sqlite3_reset` (only
 * `sqlite3_clear_bindings` drops them; sqlite.org/c3ref/reset.html), and `run` clears and binds all
 * of them each time: for an audit row that is 23 values, most of them the same from call to call
 * (the session, the workspace, the rule, the server, the tool), and each string value costs a UTF-8
 * copy into the WebAssembly heap and another inside SQLite. Binding the changes only took the
 * insert from ~8.5 to ~6.6 µs a row (audit's schema, Dec 2026).
 */
export class BatchStatement {
  private readonly bound: unknown[] = [];
  private readonly internals: Internals | undefined;

  constructor(
    database: Database,
    readonly statement: Statement,
  ) {
    const candidate = { engine, statement, database } as unknown as Internals;
    const usable =
      typeof candidate.engine._sqlite3_reset === 'function' &&
      typeof candidate.engine._sqlite3_step === 'function' &&
      typeof candidate.statement._bindValue === 'function' &&
      typeof candidate.statement._ptr === 'number' &&
      typeof candidate.database._handleError === 'function';
    this.internals = usable ? candidate : undefined;
  }

  /** Whether rows bind only their changes (the engine's internals were found); else each row is a `run`. */
  get bindsChangesOnly(): boolean {
    return this.internals !== undefined;
  }

  /**
   * Runs the statement with `values` (`?` parameters in order; every row of a batch the same length).
   *
   * @throws the engine's `SQLite3Error` when the step fails (a constraint, a full disk); the
   *   statement then keeps the error, so the caller finalizes it and prepares a new one
   */
  run(values: readonly unknown[]): void {
    const internals = this.internals;
    if (!internals) {
      this.statement.run(values as BindValues);
      return;
    }
    const { engine: sqlite, statement, database } = internals;
    const reset = sqlite._sqlite3_reset(statement._ptr);
    if (reset !== SQLITE_OK) database._handleError(reset);
    const bound = this.bound;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (bound.length > i && bound[i] === value) continue;
      // Forget the old value first: a bind that throws must not leave it looking bound.
      bound[i] = UNBOUND;
      statement._bindValue(value, i + 1);
      bound[i] = value;
    }
    const code = sqlite._sqlite3_step(statement._ptr);
    if (code !== SQLITE_DONE) {
      this.bound.length = 0;
      database._handleError(code);
    }
  }

  finalize(): void {
    this.statement.finalize();
  }
}
