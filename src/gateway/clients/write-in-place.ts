import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * Rewrites a config file that has more than one hard link in place (same inode), rather than by
 * rename. Why: whoever linked it (a dotfiles folder, one file shared by two clients) means every
 * name to show the same config; a rename gives the config path a new inode, and every other name
 * silently keeps the old text. Refusing would only send the user to make the same edit by hand.
 * The cost is atomicity: a client reading at the moment of the write may see a mix of old and new
 * bytes, which is why the `.bak` (the previous bytes) is put in place before the file is touched,
 * and the new bytes are written over the old ones before the length is cut (never an empty file,
 * which clients read as "no servers"). Mode and owner stay by themselves (same inode).
 *
 * `check` gets the bytes as they are just before the write (the compare-and-swap: it throws when
 * they changed since the edit was read); `beforeWrite` runs after it (puts the `.bak` in place).
 */
export function writeInPlace(target: string, text: string, mode: number, check: (current: string) => void, beforeWrite: () => void): void {
  // O_NOFOLLOW: `target` is where the links end already; a link put there meanwhile is refused, not followed.
  const fd = openSync(target, constants.O_RDWR | constants.O_NOFOLLOW);
  try {
    check(readFileSync(fd, 'utf8'));
    beforeWrite();
    const bytes = Buffer.from(text, 'utf8');
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, done);
    ftruncateSync(fd, bytes.length);
    // Only a narrowing (the token went in): chmod touches every name of the file.
    if ((fstatSync(fd).mode & 0o777) !== mode) fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
