import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { addBodyHeaders, hasRequests, isHandshake, isInitialized, isModernRequest, mayHaveEffects, type Message } from './gateway-headers.js';
import { SseParser } from './sse-parser.js';

/**
 * A POST the gateway had taken whole (its body written out) whose answer never came: the
 * connection failed after, so the gateway may have run it. Such a message is never sent again
 * (a trial: a tool call in flight when the daemon was killed ran twice, the second time on the
 * restarted daemon).
 */
export class AnswerLostError extends Error {
  constructor(cause: Error) {
    super(`${cause.message} after the gateway had taken the request, so it may have run; it is not sent again`, { cause });
  }
}

/** The gateway answered a POST or GET with an HTTP error status; `text` is its body. */
export class GatewayHttpError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LinkHandlers {
  /** One message from the gateway: its JSON text as received (one line, unless it held a line break) and its parse. */
  message(text: string, message: Message): void;
  /** A stream or message problem outside any `send` (the bridge probes the gateway). */
  error(error: Error): void;
}

/** The SDK transport's defaults for re-opening a stream that ended without its answer. */
const REOPEN = { initialMs: 1000, growFactor: 1.5, maxMs: 30_000, maxRetries: 2 };

const mediaType = (value: string | undefined): string => (value ?? '').split(';', 1)[0]!.trim().toLowerCase();

function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.once('end', () => resolve(text));
    res.once('error', reject);
    res.once('close', () => (res.complete ? undefined : reject(new Error('the gateway closed the response before its end'))));
  });
}

/** Error responses are ignored when not read: the socket goes back to the pool. */
const drain = (res: IncomingMessage): void => void res.resume();

/**
 * The bridge's side of Streamable HTTP to the gateway's `/mcp` (MCP 2025-11-25, "Transports"),
 * on `node:http` with a keep-alive agent: one POST per client message (or batch), answered by 202,
 * a JSON body or an SSE stream; after `notifications/initialized`, the standalone GET stream for
 * what the gateway sends on its own. It sends the headers, keeps the session id and resumes
 * streams exactly as the SDK's `StreamableHTTPClientTransport` does, but relays each message's
 * text as received, parsed once and not validated (the gateway already did).
 */
export class GatewayLink {
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly host: string;
  private readonly port: number;
  private readonly requests = new Set<http.ClientRequest>();
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private serverRetryMs: number | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private closed = false;

  /**
   * @param base the gateway's URL (`http://127.0.0.1:<port>`); requests go to `<base>/mcp`
   * @param headers sent with every request (token, workspace, client pid, model)
   */
  constructor(
    base: string,
    private readonly headers: Record<string, string>,
    private readonly handlers: LinkHandlers,
  ) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
  }

  /** The version the initialize answer negotiated: sent as `mcp-protocol-version` from now on. */
  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  /**
   * POSTs a client message (or batch); resolves once the gateway took it (its JSON answer relayed,
   * or its SSE stream opened, whose events are relayed as they come).
   * @param body the message's JSON text (the client's own line), JSON.stringify(message) if not given
   * @throws GatewayHttpError on an HTTP error status (`text` is the body: a JSON-RPC error from the gateway)
   * @throws AnswerLostError when the connection fails after the request was written out whole
   * @throws Error when the connection fails before, or the link is closed
   */
  async send(message: Message | Message[], body: string = JSON.stringify(message)): Promise<void> {
    const handshake = isHandshake(message);
    const headers: OutgoingHttpHeaders = { ...this.headers };
    if (this.sessionId !== undefined && !handshake) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    addBodyHeaders(headers as Record<string, string>, message);
    headers['content-type'] = 'application/json';
    headers.accept = 'application/json, text/event-stream';
    headers['content-length'] = Buffer.byteLength(body);
    const res = await this.request('POST', headers, body, !mayHaveEffects(message));
    const status = res.statusCode ?? 0;
    const ok = status >= 200 && status < 300;
    if (handshake && ok) {
      const id = res.headers['mcp-session-id'];
      this.sessionId = (Array.isArray(id) ? id[0] : id) || undefined;
    }
    if (!ok) {
      const text = await readText(res);
      if (status === 400 && isModernRequest(message) && this.answeredWithError(text, message as Message)) return;
      throw new GatewayHttpError(status, text, `Error POSTing to endpoint: ${text}`);
    }
    if (status === 202) {
      drain(res);
      if (isInitialized(message)) this.openStream(undefined).catch((error: Error) => this.fail(error));
      return;
    }
    if (!hasRequests(message)) return drain(res);
    const type = mediaType(res.headers['content-type']);
    if (type === 'text/event-stream') return this.readStream(res, false);
    if (type === 'application/json') {
      this.deliver(await readText(res), true);
      return;
    }
    drain(res);
    throw new Error(`Unexpected content type: ${res.headers['content-type']}`);
  }

  /**
   * Ends the MCP session with `DELETE /mcp` (Streamable HTTP, "Session Management": a client that
   * no longer needs its session SHOULD end it), so the gateway forgets it at once rather than after
   * its idle timeout (a trial: a bridge that had exited stayed in the dashboard's active sessions
   * for 30 minutes). Best effort, bounded by `timeoutMs`: a gateway gone or slow does not hold the
   * bridge's exit. Without a session, nothing is sent.
   */
  async endSession(timeoutMs: number): Promise<void> {
    if (this.sessionId === undefined || this.closed) return;
    const headers: OutgoingHttpHeaders = { ...this.headers, 'mcp-session-id': this.sessionId };
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    let timer: NodeJS.Timeout | undefined;
    const ended = this.request('DELETE', headers).then(drain, () => undefined);
    await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Aborts every request in flight (streams included) and stops re-opening. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    for (const req of this.requests) req.destroy(new Error('the bridge closed its gateway connection'));
    this.requests.clear();
    this.agent.destroy();
  }

  /** A 2026-era request's 400 whose body is the JSON-RPC error answering it: delivered as its answer. */
  private answeredWithError(text: string, request: Message): boolean {
    let parsed: Message;
    try {
      parsed = JSON.parse(text) as Message;
    } catch {
      return false; // not JSON: the HTTP error stands
    }
    if (typeof parsed !== 'object' || parsed === null || parsed.error === undefined || parsed.id !== request.id) return false;
    this.handlers.message(text, parsed);
    return true;
  }

  /**
   * One HTTP request to `/mcp`. One that meets a reset on a pooled keep-alive socket (the gateway
   * closed it while idle, so it never read the request) is sent once more on a new one, unless it
   * may change something: the same reset comes from a gateway that read it and died (a trial: a
   * tool call ran twice), so such a request written out whole fails as `AnswerLostError`.
   * @param retryable whether sending it twice is harmless (GETs, notifications, read-only requests)
   */
  private request(method: string, headers: OutgoingHttpHeaders, body?: string, retryable = true, retried = false): Promise<IncomingMessage> {
    if (this.closed) return Promise.reject(new Error('the bridge closed its gateway connection'));
    return new Promise((resolve, reject) => {
      const req = http.request({ agent: this.agent, host: this.host, port: this.port, path: '/mcp', method, headers });
      this.requests.add(req);
      req.once('close', () => this.requests.delete(req));
      req.once('response', resolve);
      req.once('error', (error: NodeJS.ErrnoException) => {
        const stale = retryable && req.reusedSocket && !retried && !this.closed && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        if (stale) this.request(method, headers, body, retryable, true).then(resolve, reject);
        else reject(!retryable && req.writableFinished ? new AnswerLostError(error) : error);
      });
      req.end(body);
    });
  }

  /** The standalone GET stream (server → client messages), or its resumption after `lastEventId`. */
  private async openStream(lastEventId: string | undefined): Promise<void> {
    const headers: OutgoingHttpHeaders = { ...this.headers, accept: 'text/event-stream' };
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const res = await this.request('GET', headers);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      drain(res);
      if (status === 405) return; // the gateway offers no standalone stream
      throw new GatewayHttpError(status, '', `Failed to open SSE stream: ${res.statusMessage ?? status}`);
    }
    this.readStream(res, true);
  }

  /**
   * Relays an SSE stream's events in order. A stream that ends (or breaks) before its answer is
   * re-opened with GET: the standalone stream always, a POST's only when its events had ids.
   */
  private readStream(res: IncomingMessage, standalone: boolean): void {
    let lastEventId: string | undefined;
    let answered = false;
    const parser = new SseParser(
      (event) => {
        if (event.id) lastEventId = event.id;
        if (event.data === '' || (event.event !== undefined && event.event !== 'message')) return;
        if (this.deliver(event.data, false)) answered = true;
      },
      (ms) => (this.serverRetryMs = ms),
    );
    let ended = false;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => parser.push(chunk));
    res.once('end', () => (ended = true));
    res.on('error', () => undefined); // reported once, at 'close'
    res.once('close', () => {
      if (this.closed) return;
      if (!ended) this.fail(new Error('SSE stream disconnected: the connection to the gateway closed'));
      if ((standalone || lastEventId !== undefined) && !answered) this.scheduleReopen(lastEventId, 0);
    });
  }

  /** Re-opens a stream after the SDK transport's back-off (or the server's `retry:`), at most `REOPEN.maxRetries` failures in a row. */
  private scheduleReopen(lastEventId: string | undefined, attempt: number): void {
    if (attempt >= REOPEN.maxRetries) return this.fail(new Error(`Maximum reconnection attempts (${REOPEN.maxRetries}) exceeded.`));
    const delay = this.serverRetryMs ?? Math.min(REOPEN.initialMs * REOPEN.growFactor ** attempt, REOPEN.maxMs);
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      if (this.closed) return;
      this.openStream(lastEventId).catch((error: Error) => {
        if (this.closed) return;
        this.fail(new Error(`Failed to reconnect SSE stream: ${error.message}`));
        this.scheduleReopen(lastEventId, attempt + 1);
      });
    }, delay);
  }

  /**
   * Hands the gateway's JSON text on: a message as is, a batch member by member.
   * @throws Error for a POST's JSON body that is not JSON (`fromPost`); an SSE event's goes to `error`
   * @returns whether it held a response (a result or an error)
   */
  private deliver(text: string, fromPost: boolean): boolean {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const problem = new Error(`the gateway sent a message that is not JSON: ${(error as Error).message}`);
      if (fromPost) throw problem;
      this.fail(problem);
      return false;
    }
    const messages = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
    let answered = false;
    for (const message of messages) {
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        this.fail(new Error(`the gateway sent a message that is not a JSON-RPC object: ${JSON.stringify(message)?.slice(0, 200)}`));
        continue;
      }
      const m = message as Message;
      if (m.method === undefined && m.id !== undefined) answered = true;
      this.handlers.message(messages.length === 1 && !Array.isArray(parsed) ? text : JSON.stringify(m), m);
    }
    return answered;
  }

  private fail(error: Error): void {
    if (!this.closed) this.handlers.error(error);
  }
}
