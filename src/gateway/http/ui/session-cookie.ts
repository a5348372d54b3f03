import type { IncomingMessage } from 'node:http';

/**
 * The session cookie's name. Cookies are scoped by host, not port (RFC 6265 §8.5), so two
 * gateways on 127.0.0.1 would overwrite each other's cookie under one name: the port is part of it.
 */
export function cookieName(port: number): string {
  return `mcplexer_session_${port}`;
}

/**
 * The `Set-Cookie` value of a session: `HttpOnly` (no script reads it), `SameSite=Strict` (no
 * cross-site request carries it), `Path=/`, no `Max-Age` (it ends with the browser session; the
 * gateway ends it sooner after idle or a restart). Not `Secure`: the gateway speaks plain HTTP on
 * loopback. `value` is empty and `Max-Age=0` to clear it.
 */
export function sessionCookie(port: number, value: string | undefined): string {
  const base = `${cookieName(port)}=${value ?? ''}; HttpOnly; SameSite=Strict; Path=/`;
  return value === undefined ? `${base}; Max-Age=0` : base;
}

/** The value of cookie `name` in the request's `Cookie` header(s) (RFC 6265 §5.4), or undefined. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
