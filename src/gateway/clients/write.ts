import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A config file as read: its bytes as text, or undefined when there is none. */
export function readConfigText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Mode of a new config file: it may hold the API token (an HTTP entry's header), and only its user reads it. */
export const NEW_FILE_MODE = 0o600;

/**
 * Replaces `file` with `text` atomically: the previous bytes are kept as `<file>.bak` (same mode),
 * the new text goes to a temp file in the same directory (same file system) with the file's mode
 * (a new file: 0600), is flushed, and renamed over it, so a client reading at any moment sees the
 * old file or the new one, never half of one. A symlinked config file (dotfile managers) is written
 * through the link, which stays.
 */
export function writeConfigAtomically(file: string, text: string, previous: string | undefined): void {
  const target = previous === undefined ? file : realpathSync(file);
  const mode = previous === undefined ? NEW_FILE_MODE : statSync(target).mode & 0o777;
  if (previous !== undefined) writeFileFlushed(`${target}.bak`, previous, mode, true);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileFlushed(temp, text, mode, false);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function writeFileFlushed(file: string, text: string, mode: number, replace: boolean): void {
  const fd = openSync(file, replace ? 'w' : 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, mode); // the umask narrowed the mode given to open
}
