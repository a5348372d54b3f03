/**
 * What an HTTP downstream's failure was, in words: the network (refused, DNS, TLS, reset) or the
 * HTTP status the server answered (credentials, session, its own failure). One wording for start
 * failures and call failures alike.
 */
import { SdkHttpError } from '@modelcontextprotocol/client';

export interface HttpTarget {
  /** The server's display name. */
  name: string;
  url: string;
  /** The auth scope whose values were sent as headers, if any. */
  scopeId: string | null;
}

/** The longest piece of a response body quoted in a message (characters). */
const BODY_EXCERPT = 200;

/**
 * True for HTTP 404 to a request: sent with an `Mcp-Session-Id`, it means the server ended the
 * session and never ran the request (MCP 2025-11-25, Transports → Streamable HTTP → Session Management).
 */
export function isNotFound(error: unknown): boolean {
  return error instanceof SdkHttpError && error.status === 404;
}

/**
 * A server that refused a session it had just opened (HTTP 404): it does not keep sessions, often
 * because a load balancer sends each request to another replica. `when` says which session.
 */
export function sessionNotKeptText(target: HttpTarget, when: string, outcome = ''): string {
  return (
    `downstream server "${target.name}" answered HTTP 404 (session not found) ${when} at ${target.url}${outcome}; ` +
    `the server is not keeping its sessions: check its session handling, or the load balancer in front of it (sessions need sticky routing)`
  );
}

/** A network or HTTP failure as a sentence naming the server and what to do; undefined when it is neither. */
export function describeHttpFailure(error: unknown, target: HttpTarget): string | undefined {
  const who = `downstream server "${target.name}"`;
  if (error instanceof SdkHttpError) return describeStatus(error, who, target);
  const cause = networkCause(error);
  if (!cause) return undefined;
  const { code, message } = cause;
  const host = hostOf(target.url);
  if (code === 'ECONNREFUSED') return `${who} is not running at ${target.url} (connection refused) — start it, or correct the server's url`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return `${who}: host not found: ${host} (${code}) — check the host name in the server's url and this machine's DNS`;
  }
  if (code !== undefined && isTlsCode(code)) {
    return `${who}: the certificate of ${host} was rejected: ${message} (${code}) — fix the server's certificate, or trust its CA with NODE_EXTRA_CA_CERTS`;
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `${who} did not accept a connection at ${target.url} in time (${code}) — check the network and any firewall or proxy between`;
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return `${who} dropped the connection at ${target.url} (${code}: ${message})`;
  }
  return `${who} could not be reached at ${target.url}: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
}

function describeStatus(error: SdkHttpError, who: string, target: HttpTarget): string {
  const status = error.status ?? 0;
  const statusLine = `${status}${error.statusText ? ` ${error.statusText}` : ''}`;
  const excerpt = bodyExcerpt(error);
  if (status === 401 || status === 403) {
    const check = target.scopeId
      ? `check auth scope "${target.scopeId}" and the server's headers`
      : `check the server's headers (no auth scope is bound to it)`;
    return `${who}: credentials rejected (HTTP ${statusLine}) at ${target.url} — ${check}`;
  }
  if (status >= 500) return `${who}: the server failed: ${statusLine}${excerpt ? ` ${excerpt}` : ''}`;
  return `${who} answered HTTP ${statusLine} at ${target.url}${excerpt ? `: ${excerpt}` : ''}`;
}

/** The body the server sent with its error status: its first line, at most BODY_EXCERPT characters. */
function bodyExcerpt(error: SdkHttpError): string {
  const text = (error.data as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string') return '';
  const line = text.trim().split('\n', 1)[0]!;
  return line.length > BODY_EXCERPT ? `${line.slice(0, BODY_EXCERPT)}…` : line;
}

/**
 * The OS/TLS error under a failed fetch (`TypeError: fetch failed` with a `cause` that has a
 * `code`), or a bare errno error. Undefined for anything else.
 */
function networkCause(error: unknown): { code?: string; message: string } | undefined {
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) {
    // undici puts the socket's error (errno, TLS or its own UND_ERR_*) in `cause`, sometimes one level deeper.
    let current: unknown = error.cause;
    for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
      const code = (current as NodeJS.ErrnoException).code;
      if (typeof code === 'string') return { code, message: current.message };
      current = current.cause;
    }
    return { message: error.cause instanceof Error ? error.cause.message : error.message };
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code)) return { code, message: error.message };
  return undefined;
}

/** Node's and OpenSSL's certificate and TLS error codes. */
function isTlsCode(code: string): boolean {
  return /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|EPROTO/.test(code);
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}
