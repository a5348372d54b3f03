import { closeSync, openSync, readSync } from 'node:fs';
import { GatewayError } from '../errors.js';

/** The first 16 bytes of every SQLite 3 database file (https://www.sqlite.org/fileformat.html §1.3.1). */
const SQLITE_HEADER = 'SQLite format 3\u0000';

/**
 * Refuses, before anything is loaded, a file that is not an SQLite database, so a daemon whose
 * audit trail opens behind its listener (audit/opening.ts) does not first say it is listening and
 * then exit (a chaos trial: a corrupt `audit.db` printed "listening" and the health check answered
 * before the start failed). A missing or empty file is fine: SQLite makes a new database there.
 *
 * @param file absolute path of the database file
 * @throws GatewayError `internal`: the file is no SQLite database (move it aside), or cannot be read
 *   (a directory where the file should be); the rest of what can fail is `openStorage`'s
 */
export function checkSqliteHeader(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw cannotOpen(file, error);
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    let read: number;
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } catch (error) {
      throw cannotOpen(file, error); // a directory where the file should be (EISDIR), an unreadable disk
    }
    if (read > 0 && head.toString('latin1', 0, read) !== SQLITE_HEADER)
      throw new GatewayError(
        'internal',
        `cannot open the audit database ${file}: it is not an SQLite database (it does not start with SQLite's header). Move it aside (to keep it) or delete it, and start again: a new, empty one is made`,
      );
  } finally {
    closeSync(fd);
  }
}

function cannotOpen(file: string, error: unknown): GatewayError {
  const reason = error instanceof Error ? error.message : String(error);
  return new GatewayError('internal', `cannot open the audit database ${file}: ${reason}: make it a readable file, or move it aside and start again`, {
    cause: error,
  });
}
