import {
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
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

/** Links followed to the file a config path names, at most (the kernel's own limit for a path is 40). */
const MAX_LINKS = 40;

/**
 * The file a config path stands for: the path itself, or, when it is a symbolic link (a dotfile
 * manager's), where its chain of links ends, whether that file exists yet or not (a link to a
 * file not created yet is written through, not replaced by a file of its own).
 */
function linkTarget(file: string): string {
  let current = inRealDir(file);
  for (let hop = 0; hop < MAX_LINKS; hop += 1) {
    let stats;
    try {
      stats = lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (!stats.isSymbolicLink()) return current;
    // Resolved as the kernel does: from the link's real folder, each `..` after a folder link
    // leading out of where that link points, not out of the link's own folder (a trial wrote an
    // unrelated file through `sub/../real.json` with `sub` a folder link).
    const to = readlinkSync(current);
    current = inRealDir(path.isAbsolute(to) ? to : `${path.dirname(current)}${path.sep}${to}`); // not path.resolve: it drops `x/..` as text
  }
  throw Object.assign(new Error(`too many levels of symbolic links at ${file}`), { code: 'ELOOP', path: file });
}

/**
 * `file` with its folder part as the kernel resolves it (`realpath` of the deepest folder that
 * exists, the rest as written): a `..` after a folder link goes up from where the link points.
 */
function inRealDir(file: string): string {
  const missing: string[] = [path.basename(file)];
  let dir = path.dirname(file);
  for (;;) {
    try {
      return path.join(realpathSync.native(dir), ...missing); // native: the JS one drops `x/..` as text first
    } catch (error) {
      const parent = path.dirname(dir);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) throw error;
      missing.unshift(path.basename(dir));
      dir = parent;
    }
  }
}

/**
 * Replaces `file` with `text` atomically: the previous bytes are kept as `<file>.bak` (same mode),
 * the new text goes to a temp file in the same directory (same file system) with the file's mode
 * (a new file: 0600), is flushed, and renamed over it, so a client reading at any moment sees the
 * old file or the new one, never half of one. A symlinked config file (dotfile managers) is written
 * through the link, which stays, even when the file it names does not exist yet.
 *
 * Nothing here follows a link it did not choose to: the `.bak` is made the same way (a temp file
 * renamed over it), so a link planted at `<file>.bak` is replaced, never written through (a trial
 * overwrote and chmod-ed another file through one), and modes are set on the open file, not by path.
 *
 * @param holdsSecret the text carries a secret (the API token in an HTTP entry's header): the file
 *   and its `.bak` lose any group and other permission (an existing 0644 file becomes 0600)
 */
export function writeConfigAtomically(file: string, text: string, previous: string | undefined, holdsSecret = false): void {
  const target = linkTarget(file);
  const existing = previous === undefined ? undefined : statSync(target).mode & 0o777;
  const mode = existing === undefined ? NEW_FILE_MODE : holdsSecret ? existing & 0o700 : existing;
  if (previous !== undefined) replaceFlushed(`${target}.bak`, previous, mode);
  replaceFlushed(target, text, mode);
}

/** Writes `text` to a new temp file beside `file` (mode `mode`, flushed), then renames it over `file`. */
function replaceFlushed(file: string, text: string, mode: number): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // `wx`: O_CREAT|O_EXCL, which never follows a link at the path (it fails instead).
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, text);
      fchmodSync(fd, mode); // the umask narrowed the mode given to open
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
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
 * do, not an internal error; nothing is half written either way (the temp file goes). `holdsSecret`
 * as for `writeConfigAtomically`.
 * @throws GatewayError `conflict` for a read-only file or a refusal of the file system; anything
 *   without an errno as it came
 */
export function writeConfigChecked(file: string, text: string, previous: string | undefined, holdsSecret = false): void {
  if (previous !== undefined && (statSync(file).mode & 0o222) === 0) {
    throw new GatewayError(
      'conflict',
      `${file} is read-only (mode ${(statSync(file).mode & 0o777).toString(8)}): MCPlexer leaves read-only files as they are; make it writable (chmod u+w) and try again, or add the entry by hand`,
    );
  }
  try {
    writeConfigAtomically(file, text, previous, holdsSecret);
  } catch (error) {
    // A rename names the temp file as `path` and the file it replaces as `dest`: the latter is the one to name.
    const { code, path: temp, dest } = error as NodeJS.ErrnoException & { dest?: string };
    const where = dest ?? temp;
    if (typeof code !== 'string') throw error;
    const why = WORDS[code] ?? (error as Error).message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
    throw new GatewayError(
      'conflict',
      `cannot write ${where ?? file}: ${why} (${code}); MCPlexer writes ${file} through a temporary file and keeps a .bak beside it, so ${path.dirname(file)} must be writable by this user. Nothing was changed: fix that and try again, or add the entry by hand`,
    );
  }
}
