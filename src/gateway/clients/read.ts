import { readFileSync, statSync } from 'node:fs';
import { GatewayError } from '../errors.js';

/** File-system refusals in words (others are named by Node's own wording). */
const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'it is a directory, not a file',
  ELOOP: 'its symbolic links form a loop',
};

/** Why the file system refused, in words: `WORDS`, else Node's message without the code and path. */
export function refusalWords(error: NodeJS.ErrnoException, code: string): string {
  return WORDS[code] ?? error.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
}

/** How long an existing empty file is left to settle before it is believed (see readConfigText). */
export const SETTLE_MS = 200;
/** An empty file changed this recently is taken for a client in the middle of saving it. */
const RECENT_MS = 2000;

/**
 * A config file as read: its bytes as text, or undefined when there is none.
 *
 * With `settle`, an existing empty file is read again after `SETTLE_MS`: a client that saves by
 * truncating and then writing leaves it empty for a moment, and a trial's install read that moment
 * and replaced the whole config with our entry alone. One still empty and changed in the last two
 * seconds is refused rather than trusted. The pause blocks the daemon on purpose (file work is
 * synchronous, so no other edit interleaves); it happens only for an empty file.
 *
 * @throws GatewayError `conflict` when the file system refuses the read (a directory at the path,
 *   a link loop, no read permission), naming the path and the reason; or a settled file that is
 *   still empty and was changed just now
 */
export function readConfigText(file: string, options: { settle?: boolean } = {}): string | undefined {
  const text = readOnce(file);
  if (text !== '' || !options.settle) return text;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_MS);
  const again = readOnce(file);
  if (again !== '' || again === undefined) return again;
  if (Date.now() - statSync(file).mtimeMs < RECENT_MS) {
    throw new GatewayError(
      'conflict',
      `${file} is empty and was changed a moment ago: its client may be saving it. Nothing was written; try again in a few seconds`,
      { details: [{ path: file, message: 'empty and just changed' }] },
    );
  }
  return again;
}

/** One read; undefined when there is no file; a refusal of the file system as a `conflict`. */
export function readOnce(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (typeof code !== 'string') throw error;
    throw new GatewayError(
      'conflict',
      `cannot read ${file}: ${refusalWords(error as NodeJS.ErrnoException, code)} (${code}). MCPlexer left it untouched: make it a file this user can read (or remove it) and try again`,
      { details: [{ path: file, message: code }] },
    );
  }
}
