import type { IncomingMessage } from 'node:http';
import { isOwnOrigin } from '../security.js';
import { cookieName, readCookie } from './session-cookie.js';
import type { UiSessions } from './ui-sessions.js';

const READS = new Set(['GET', 'HEAD']);

/**
 * Whether a request is authenticated by the dashboard's session cookie, which stands in for the
 * bearer token on /api/v1 only. Because SameSite treats every port of 127.0.0.1 as one site, the
 * cookie also rides on requests from any other loopback port; so it counts only when the browser
 * says the request comes from the gateway's own page:
 * - with an `Origin` header: it must be the gateway's own origin (not even a trusted one);
 * - without one (a browser sends none on a same-origin GET): only GET/HEAD, and only when
 *   `Sec-Fetch-Site: same-origin` (a `<script>`/`<img>` from another port says `same-site`).
 * Writes carry `Origin` in every browser, and their bodies must be JSON (`requireJsonBody`), so a
 * cross-port form post is refused twice over.
 */
export function acceptsSession(req: IncomingMessage, port: number, sessions: UiSessions): boolean {
  const value = readCookie(req, cookieName(port));
  if (value === undefined) return false;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!isOwnOrigin(origin.toLowerCase(), port)) return false;
  } else if (!READS.has(req.method ?? '') || req.headers['sec-fetch-site'] !== 'same-origin') {
    return false;
  }
  return sessions.touch(value);
}
