import {
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
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
import { keepOwner, type Owner, type WriteWarning } from './keep-owner.js';
import { readOnce, refusalWords } from './read.js';
import { writeInPlace } from './write-in-place.js';

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

/** What a write does besides the file itself. */
export interface WriteOptions {
  /**
   * The text carries a secret (the API token in an HTTP entry's header): the file and its `.bak`
   * lose any group and other permission (an existing 0644 file becomes 0600). Default false.
   */
  holdsSecret?: boolean;
  /** Keep the previous bytes as `<file>.bak` (default true); an empty file never replaces a non-empty `.bak`. */
  backup?: boolean;
  /** Where what could not be kept is said (the file's owner, when chown is not permitted); the write goes on. */
  warn?: WriteWarning;
}

/**
 * Replaces `file` with `text` atomically, if it still holds `previous` (undefined: no file): the
 * new text (and the previous bytes, for `<file>.bak`) go to temp files in the same directory (same
 * file system) with the file's mode (a new file: 0600), flushed; then the file is read again and,
 * only if it is still what the edit was made from, the temp files are renamed over `.bak` and the
 * file. So a client reading at any moment sees the old file or the new one, never half of one, and
 * a client that saved the file meanwhile keeps what it saved (a compare-and-swap). A symlinked
 * config file (dotfile managers) is written through the link, which stays, even when the file it
 * names does not exist yet. The file's mode, owner and group are kept (set on the temp file
 * before the rename; see keep-owner.ts); a file with other hard links is written in place, so the
 * links stay (see write-in-place.ts).
 *
 * Nothing here follows a link it did not choose to: the `.bak` is made the same way (a temp file
 * renamed over it), so a link planted at `<file>.bak` is replaced, never written through (a trial
 * overwrote and chmod-ed another file through one), and modes are set on the open file, not by path.
 *
 * @throws GatewayError `conflict` when the file is no longer `previous` (nothing written)
 */
export function writeConfigAtomically(file: string, text: string, previous: string | undefined, options: WriteOptions = {}): void {
  const target = linkTarget(file);
  const existing = previous === undefined ? undefined : statOf(target, file);
  const mode = existing === undefined ? NEW_FILE_MODE : options.holdsSecret ? existing.mode & 0o700 : existing.mode;
  // The .bak and the file get the same owner: one warning for both when that is not permitted.
  let ownerKept = true;
  const owned = (fd: number) => {
    if (existing && ownerKept) ownerKept = keepOwner(fd, existing, file, options.warn);
  };
  const bak = `${target}.bak`;
  const renames: Array<[string, string]> = [];
  try {
    if (previous !== undefined && options.backup !== false && !(previous === '' && (readOnce(bak) ?? '') !== ''))
      renames.push([flushedTemp(bak, previous, mode, owned), bak]);
    if (existing !== undefined && existing.links > 1) {
      const unchanged = (current: string) => {
        if (current !== previous) throw changedMeanwhile(file);
      };
      writeInPlace(target, text, mode, unchanged, () => renames.forEach(([temp, dest]) => renameSync(temp, dest)));
      return;
    }
    renames.push([flushedTemp(target, text, mode, owned), target]);
    if (readOnce(target) !== previous) throw changedMeanwhile(file);
    for (const [temp, dest] of renames) renameSync(temp, dest);
  } finally {
    for (const [temp] of renames) rmSync(temp, { force: true });
  }
}

/** The refusal when the file changed between MCPlexer's read and its write. */
function changedMeanwhile(file: string): GatewayError {
  return new GatewayError(
    'conflict',
    `${file} changed while MCPlexer was editing it (its client may have saved it just then); nothing was written: try again`,
    { details: [{ path: file, message: 'changed during the edit' }] },
  );
}

/** What of the file the edit was read from carries over: its permission bits, owner and group, and its hard links. */
interface Existing extends Owner {
  mode: number;
  links: number;
}

/** `Existing` of the file the edit was read from; gone since: it changed meanwhile. */
function statOf(target: string, file: string): Existing {
  try {
    const stats = statSync(target);
    return { mode: stats.mode & 0o777, uid: stats.uid, gid: stats.gid, links: stats.nlink };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw changedMeanwhile(file);
    throw error;
  }
}

/**
 * Removes the temp files of `file` that a writer which no longer runs left beside it
 * (`.<name>.<pid>.<hex>.tmp`: a gateway killed mid-write). A trial found them in the home folder
 * after `kill -9`, never removed. Those of a live process (a write in progress) stay.
 */
function sweepStaleTemps(file: string): void {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the write that follows says what is wrong with the folder
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (match && !processRuns(Number(match[1]))) rmSync(path.join(dir, name), { force: true });
  }
}

/** Whether a process `pid` exists (signal 0 checks without sending; EPERM: it exists, as another user's). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A new temp file beside `file` holding `text` (owner and group by `owned`, mode `mode`, flushed); its path. */
function flushedTemp(file: string, text: string, mode: number, owned: (fd: number) => void): string {
  sweepStaleTemps(file);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // `wx`: O_CREAT|O_EXCL, which never follows a link at the path (it fails instead).
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, text);
    owned(fd); // before the chmod: a chown may clear set-id bits
    fchmodSync(fd, mode); // the umask narrowed the mode given to open
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  return temp;
}

/**
 * Removes `<file>.bak` (beside the file a link names) when `holds` says so: uninstall leaves no
 * backup that still holds the live API token (one an earlier version wrote after our entry was in).
 */
export function removeBackupIf(file: string, holds: (text: string) => boolean): void {
  const bak = `${linkTarget(file)}.bak`;
  const text = readOnce(bak);
  if (text !== undefined && holds(text)) rmSync(bak, { force: true });
}

/**
 * `writeConfigAtomically`, refusing a config file its owner made read-only (a rename would replace
 * it whatever its mode) and turning what the file system refuses (EACCES in a read-only folder,
 * EROFS, ENOSPC, a directory where the .bak goes…) into an error that names the path and what to
 * do, not an internal error; nothing is half written either way (the temp file goes). `options`
 * as for `writeConfigAtomically`.
 * @throws GatewayError `conflict` for a read-only file, a refusal of the file system, or a file
 *   that changed since it was read (`previous`); anything
 *   without an errno as it came
 */
export function writeConfigChecked(file: string, text: string, previous: string | undefined, options: WriteOptions = {}): void {
  try {
    const mode = previous === undefined ? undefined : statSync(file).mode & 0o777;
    if (mode !== undefined && (mode & 0o222) === 0) {
      throw new GatewayError(
        'conflict',
        `${file} is read-only (mode ${mode.toString(8)}): MCPlexer leaves read-only files as they are; make it writable (chmod u+w) and try again, or add the entry by hand`,
      );
    }
    writeConfigAtomically(file, text, previous, options);
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    // A rename names the temp file as `path` and the file it replaces as `dest`: the latter is the one to name.
    const { code, path: temp, dest } = error as NodeJS.ErrnoException & { dest?: string };
    const where = dest ?? temp;
    if (typeof code !== 'string') throw error;
    const why = refusalWords(error as NodeJS.ErrnoException, code);
    // The folder that must be writable is where the file really is: beside a link's target, not the link.
    const target = linkTarget(file);
    const folder = path.dirname(target);
    const via = target === file ? '' : ` (${file} is a link to ${target})`;
    const fix =
      code === 'ENOENT'
        ? `the folder ${folder}${via} does not exist: create it, or point the link elsewhere`
        : code === 'EISDIR' && where !== undefined
          ? `${where} is a folder: move it aside`
          : `${folder}${via} must be writable by this user`;
    throw new GatewayError(
      'conflict',
      `cannot write ${where ?? file}: ${why} (${code}); MCPlexer writes ${file} through a temporary file and keeps a .bak beside it, so ${fix}. Nothing was changed: fix that and try again, or add the entry by hand`,
    );
  }
}
