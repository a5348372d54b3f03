import { fchownSync, fstatSync } from 'node:fs';

/** Where an install says what it could not keep (the gateway's log); the file is written anyway. */
export type WriteWarning = (message: string, fields: Record<string, unknown>) => void;

/** The owner and group of the file a write replaces. */
export interface Owner {
  uid: number;
  gid: number;
}

/**
 * Gives a new temp file (by its open descriptor) the owner and group of the file it is about to
 * replace. A rename puts a new inode in place, created as the gateway's user: a gateway running as
 * root (sudo, a service) otherwise hands a user's config file to root, and its user can no longer
 * read it (a mode of 0600 or 0640). Only when they differ: a gateway running as the file's owner
 * has nothing to do, and one that may not chown (not root, or a file system that refuses) still
 * writes the file, says so once through `warn`, and the file belongs to the gateway's user.
 * @returns false when the owner could not be kept (already said through `warn`)
 */
export function keepOwner(fd: number, owner: Owner, file: string, warn: WriteWarning | undefined): boolean {
  const now = fstatSync(fd);
  if (now.uid === owner.uid && now.gid === owner.gid) return true;
  try {
    fchownSync(fd, owner.uid, owner.gid);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EPERM: not root (nor the owner giving it to a group of theirs); EINVAL: an id this user namespace cannot map.
    if (code !== 'EPERM' && code !== 'EINVAL') throw error;
    warn?.(
      `${file} belonged to uid ${owner.uid}, gid ${owner.gid}; this gateway (uid ${now.uid}) may not give the rewritten file back to them (chown: ${code}), so it now belongs to uid ${now.uid}, gid ${now.gid}. If its user must keep it: chown ${owner.uid}:${owner.gid} ${file}, or run the gateway as that user`,
      { path: file, owner_uid: owner.uid, owner_gid: owner.gid, now_uid: now.uid, now_gid: now.gid, code },
    );
    return false;
  }
}
