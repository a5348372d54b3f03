import type { IncomingMessage } from 'node:http';
import { UI_SESSION_HEADER } from '../../../shared/schemas/ui.js';
import { isOwnOrigin } from '../security.js';
import type { UiSessions } from './ui-sessions.js';

const READS = new Set(['GET', 'HEAD']);

/** The session secret a request carries (`X-MCPlexer-Session`, one value), or undefined. */
export function sessionOf(req: IncomingMessage): string | undefined {
  const value = req.headers[UI_SESSION_HEADER];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Whether a request is authenticated by a dashboard session, which stands in for the bearer token
 * on /api/v1 only. The secret travels in a header the page's script sets (never a cookie, which a
 * browser would also send to every other port of 127.0.0.1), so a page elsewhere cannot make the
 * browser send it. As a second layer, the browser must also say the request comes from the
 * gateway's own page:
 * - with an `Origin` header: it must be the gateway's own origin (not even a trusted one);
 * - without one (a browser sends none on a same-origin GET): only GET/HEAD, and only when
 *   `Sec-Fetch-Site: same-origin`.
 */
export function acceptsSession(req: IncomingMessage, port: number, sessions: UiSessions): boolean {
  const value = sessionOf(req);
  if (value === undefined) return false;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!isOwnOrigin(origin.toLowerCase(), port)) return false;
  } else if (!READS.has(req.method ?? '') || req.headers['sec-fetch-site'] !== 'same-origin') {
    return false;
  }
  return sessions.touch(value);
}
