/**
 * The browser dashboard's sign-in on the wire: `POST /api/v1/ui/codes` answers a one-time code
 * (single use, 60 s); the page at `/?code=…` spends it with `POST /ui/session {code}` for a
 * session cookie. Imported by its path (not through index.ts), like daemon.ts.
 */
import { z } from 'zod';

export const uiCodeSchema = z.object({
  /** The secret, base64url; never stored by the gateway (only its SHA-256). */
  code: z.string().min(1),
  /** ISO 8601 UTC. */
  expires_at: z.string(),
});
export type UiCode = z.infer<typeof uiCodeSchema>;

/** The URL that opens the dashboard signed in: the gateway's origin, `/`, and the code. */
export function dashboardUrl(baseUrl: string, code?: string): string {
  const root = `${baseUrl.replace(/\/+$/, '')}/`;
  return code === undefined ? root : `${root}?code=${encodeURIComponent(code)}`;
}
