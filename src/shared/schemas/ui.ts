/**
 * The browser dashboard's sign-in on the wire: `POST /api/v1/ui/codes` answers a one-time code
 * (single use, 60 s); the page at `/?code=…` spends it with `POST /ui/session {code}` for a
 * session secret (`{session}`), which it keeps in `sessionStorage` and sends in the
 * `X-MCPlexer-Session` header. Imported by its path (not through index.ts), like daemon.ts.
 */
import { z } from 'zod';

export const uiCodeSchema = z.object({
  /** The secret, base64url; never stored by the gateway (only its SHA-256). */
  code: z.string().min(1),
  /** ISO 8601 UTC. */
  expires_at: z.string(),
});
export type UiCode = z.infer<typeof uiCodeSchema>;

/**
 * The header that carries a dashboard session. Not a cookie: a browser sends a cookie of
 * 127.0.0.1 to every port of 127.0.0.1 (RFC 6265 §8.5), so any local server the user visited
 * received it; `sessionStorage` is per origin, port included, and a header goes only where the
 * page's script sends it.
 */
export const UI_SESSION_HEADER = 'x-mcplexer-session';

export const uiSessionSchema = z.object({
  /** The session secret, base64url (256 random bits); the gateway keeps only its SHA-256. */
  session: z.string().min(1),
});
export type UiSession = z.infer<typeof uiSessionSchema>;

/** The URL that opens the dashboard signed in: the gateway's origin, `/`, and the code. */
export function dashboardUrl(baseUrl: string, code?: string): string {
  const root = `${baseUrl.replace(/\/+$/, '')}/`;
  return code === undefined ? root : `${root}?code=${encodeURIComponent(code)}`;
}
