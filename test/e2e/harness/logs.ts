import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './processes';

/** Every file named `name` under `dir`, depth first, in name order (timestamped folders sort by time). */
export function findFiles(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findFiles(full, name);
      return entry.name === name ? [full] : [];
    });
}

/**
 * The extension host's log: the host runs on the server side, so it is `remoteexthost.log` under
 * `<user-data>/logs/<start time>/exthostN/` (one per window's host, all concatenated here). A
 * LogOutputChannel of an extension is `exthostN/<publisher.name>/<channel>.log` beside it;
 * an extension's console.log shows only in the browser console.
 */
export function readExtHostLog(server: { logsDir: string }): string {
  return findFiles(server.logsDir, 'remoteexthost.log')
    .map((file) => readFileSync(file, 'utf8'))
    .join('');
}

/** How many times `text` occurs in the extension host logs. */
export function countInExtHostLog(server: { logsDir: string }, text: string): number {
  return readExtHostLog(server).split(text).length - 1;
}

/**
 * Waits until `text` occurs in the extension host logs more than `before` times.
 * @throws Error after `timeoutMs` with the log's last lines.
 */
export async function waitForExtHostLog(server: { logsDir: string }, text: string, before = 0, timeoutMs = 60_000): Promise<void> {
  try {
    await waitFor(`"${text}" in remoteexthost.log`, () => (countInExtHostLog(server, text) > before ? true : undefined), timeoutMs, 200);
  } catch (error) {
    const tail = readExtHostLog(server).split('\n').slice(-20).join('\n');
    throw new Error(`${(error as Error).message}; the log ends with:\n${tail || '(no remoteexthost.log yet)'}`, { cause: error });
  }
}

/**
 * Waits until the extension host has activated the extension `publisher.name` (its
 * `ExtensionService#_doActivateExtension <id>` line) more than `before` times.
 * @throws Error after `timeoutMs` with the log's last lines.
 */
export function waitForActivation(server: { logsDir: string }, extensionId: string, before = 0, timeoutMs = 60_000): Promise<void> {
  return waitForExtHostLog(server, `_doActivateExtension ${extensionId},`, before, timeoutMs);
}
