import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../errors.js';

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

/** File-system refusals in words (others are named by their code). */
const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/**
 * `writeConfigAtomically`, refusing a config file its owner made read-only (a rename would replace
 * it whatever its mode) and turning what the file system refuses (EACCES in a read-only folder,
 * EROFS, ENOSPC, a directory where the .bak goes…) into an error that names the path and what to
 * do, not an internal error; nothing is half written either way (the temp file goes).
 * @throws GatewayError `conflict` for a read-only file or a refusal of the file system; anything
 *   without an errno as it came
 */
export function writeConfigChecked(file: string, text: string, previous: string | undefined): void {
  if (previous !== undefined && (statSync(file).mode & 0o222) === 0) {
    throw new GatewayError(
      'conflict',
      `${file} is read-only (mode ${(statSync(file).mode & 0o777).toString(8)}): MCPlexer leaves read-only files as they are; make it writable (chmod u+w) and try again, or add the entry by hand`,
    );
  }
  try {
    writeConfigAtomically(file, text, previous);
  } catch (error) {
    const { code, path: where } = error as NodeJS.ErrnoException;
    if (typeof code !== 'string') throw error;
    const why = WORDS[code] ?? (error as Error).message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
    throw new GatewayError(
      'conflict',
      `cannot write ${where ?? file}: ${why} (${code}); MCPlexer writes ${file} through a temporary file and keeps a .bak beside it, so ${path.dirname(file)} must be writable by this user. Nothing was changed: fix that and try again, or add the entry by hand`,
    );
  }
}
