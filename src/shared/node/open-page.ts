import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeHtml } from '../html.js';

/** `<dataDir>/open/`: the private pages that hand a one-time dashboard link to the browser. */
export const OPEN_PAGES_DIR = 'open';

/** A page older than this is removed when the next one is written (ms); its code lapsed after 60 s anyway. */
const KEEP_MS = 10 * 60_000;

/**
 * Hands a link holding a one-time code to a browser without putting it on a command line: writes
 * a private page (0600, in `<dataDir>/open/`, 0700) that sends the browser on to `url`, and
 * returns the page's `file:` URL to open instead. The opener (`xdg-open`, `open`, `$BROWSER`, VS
 * Code's `openExternal`) and a browser it starts are given their URL as an argument, which every
 * local user can read (`/proc/<pid>/cmdline`, `ps`): with the link there, another account on the
 * machine could spend the code first (a trial did, and created a downstream as the user). Jupyter
 * opens its tokened URL through such a file for the same reason. Pages older than 10 minutes are
 * removed on the way.
 *
 * @param url the dashboard link (`http://127.0.0.1:<port>/?code=…`)
 * @returns the page's `file:` URL
 * @throws Error when the data dir cannot be written
 */
export function writeOpenPage(dataDir: string, url: string, now: number = Date.now()): string {
  const dir = path.join(dataDir, OPEN_PAGES_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    try {
      if (name.endsWith('.html') && now - statSync(file).mtimeMs > KEEP_MS) rmSync(file, { force: true });
    } catch {
      // gone meanwhile
    }
  }
  const file = path.join(dir, `dashboard-${randomBytes(8).toString('hex')}.html`);
  const href = escapeHtml(url);
  // A refresh (no script needed) and a link for a browser that does not follow it; no referrer either way.
  const page = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${href}"><title>MCPlexer dashboard</title></head>
<body><p>Opening the MCPlexer dashboard… If nothing happens, <a href="${href}">open it here</a> (the link works once, within 60 s).</p></body></html>
`;
  writeFileSync(file, page, { mode: 0o600, flag: 'wx' });
  return pathToFileURL(file).href;
}
