import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { BindValues, Database, Statement } from 'node-sqlite3-wasm';

/** Statements that answer rows: Kysely runs them with `all`, the rest with `run` (changes, last id). */
const READER = /^\s*(?:select|with|pragma|values|explain)\b|\breturning\b/i;

/**
 * Kysely's own SQLite dialect over `node-sqlite3-wasm`: its statements are prepared and
 * finalized around each execution (the WebAssembly heap does not free them on garbage
 * collection). Everything else (SQL compiler, adapter, introspection, the one-connection mutex)
 * is Kysely's, so the queries are the ones a PostgreSQL dialect would compile too.
 */
export function wasmSqliteDialect(db: Database): SqliteDialect {
  const once = <T>(sql: string, use: (statement: Statement) => T): T => {
    const statement = db.prepare(sql);
    try {
      return use(statement);
    } finally {
      statement.finalize();
    }
  };
  const database: SqliteDatabase = {
    close: () => db.close(),
    prepare: (sql): SqliteStatement => ({
      reader: READER.test(sql),
      all: (parameters) => once(sql, (s) => s.all(parameters as BindValues)),
      run: (parameters) => once(sql, (s) => s.run(parameters as BindValues)),
      iterate: (parameters) => once(sql, (s) => s.all(parameters as BindValues))[Symbol.iterator](),
    }),
  };
  return new SqliteDialect({ database });
}
