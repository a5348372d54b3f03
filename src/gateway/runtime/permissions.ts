import { chmodSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';

/**
 * Files in the data dir that hold secrets or grant access: the API token, the key of the
 * credentials, the config (server env and headers), the lock, the log, the launch record and the
 * dashboard figures (recent calls: sessions, tools, error messages).
 */
export const PRIVATE_FILES = ['api-token', 'secret.key', 'config.json', 'gateway.lock', 'gateway.log', 'launch.json', 'metrics.json'] as const;

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

const octal = (mode: number) => '0' + (mode & 0o777).toString(8).padStart(3, '0');

/** What one tightening did: the path and its mode before and after. */
export interface Tightened {
  path: string;
  from: string;
  to: string;
}

/**
 * Makes the data dir private before anything in it is read: the dir becomes 0700 and each of
 * `PRIVATE_FILES` that exists 0600 (bits for group and others removed, nothing added), and each
 * change is logged as a warning naming the path and its old mode. On Windows (no POSIX modes)
 * it does nothing.
 *
 * @returns what was changed (empty when everything was already private).
 * @throws GatewayError `forbidden` when the dir or a file belongs to another user (its owner could
 *   read or replace it whatever its mode) or cannot be made private (chmod fails); the message
 *   names the path, its owner or the reason, and what to do.
 */
export function tightenDataDir(dir: string, logger: Logger, platform: NodeJS.Platform = process.platform): Tightened[] {
  if (platform === 'win32') return [];
  const changed: Tightened[] = [];
  const tighten = (target: string, stats: Stats, wanted: number) => {
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid)
      throw new GatewayError(
        'forbidden',
        `${target} belongs to user id ${stats.uid}, not to this user (id ${uid}); whoever owns it can read or replace it. ` +
          `Move it away, or give it to this user (chown), then start again`,
      );
    if ((stats.mode & 0o777 & ~wanted) === 0) return;
    const next = stats.mode & wanted;
    try {
      chmodSync(target, next);
    } catch (cause) {
      throw new GatewayError(
        'forbidden',
        `${target} has mode ${octal(stats.mode)} (others may read it) and cannot be made private: ${(cause as Error).message}; ` +
          `run "chmod ${octal(next)} ${target}" or move it away, then start again`,
        { cause },
      );
    }
    changed.push({ path: target, from: octal(stats.mode), to: octal(next) });
    logger.warn(`${target} had mode ${octal(stats.mode)}: made it ${octal(next)} so that only you can read it`, {
      path: target,
      old_mode: octal(stats.mode),
      new_mode: octal(next),
    });
  };
  const resolved = path.resolve(dir);
  if (resolved === path.parse(resolved).root || resolved === path.resolve(homedir()))
    throw new GatewayError('forbidden', `${dir} is not a data dir of its own; set MCPLEXER_HOME to a directory for MCPlexer (the default is ~/.mcplexer)`);
  const dirStats = statSync(dir);
  // A shared dir such as /tmp (sticky bit) is not ours to close: other users' files live there.
  if (dirStats.mode & 0o1000)
    throw new GatewayError('forbidden', `${dir} is a shared directory (sticky bit, like /tmp); set MCPLEXER_HOME to a directory of your own`);
  tighten(dir, dirStats, DIR_MODE);
  for (const name of PRIVATE_FILES) {
    const file = path.join(dir, name);
    let stats: Stats;
    try {
      stats = statSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    tighten(file, stats, FILE_MODE);
  }
  return changed;
}
