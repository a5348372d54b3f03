import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CLIENT_PID_HEADER,
  JsonRpcCode,
  MODEL_HEADER,
  WORKSPACE_HEADER,
  checkClientMessage,
  jsonRpcErrorBody,
  payloadTooLargeBody,
  requestIdOf,
} from '../gateway/index.js';
import type { LocatedGateway } from '../shared/node/index.js';
import { isHandshake, requestIds, type Message } from './gateway-headers.js';
import { AnswerLostError, type GatewayHttpError, GatewayLink } from './gateway-link.js';
import { CLIENT_GONE_ERROR, DEFAULT_EOF_TIMEOUT_MS, eofTimeoutError, refusalBody, startFailureError } from './bridge-errors.js';
import { StdioLines } from './stdio-lines.js';
import { Unanswered } from './unanswered.js';

export interface BridgeOptions {
  /** The client's directory (the process cwd, or MCPLEXER_CLIENT_CWD): it selects the workspace. */
  cwd: string;
  locate: () => Promise<LocatedGateway>;
  log: (line: string) => void;
  /** The client process (the bridge's parent, which launched it): sent as `X-MCPlexer-Client-Pid`. */
  clientPid?: number;
  /** The model the client runs, if its configuration says (env `MCPLEXER_MODEL`): sent as `X-MCPlexer-Model`. */
  model?: string;
  /** After stdin ends, how long to wait for the answers still owed, ms (`DEFAULT_EOF_TIMEOUT_MS`; env `MCPLEXER_CONNECT_EOF_TIMEOUT_SEC`). */
  eofTimeoutMs?: number;
  /** Ends the process (default `process.exit`), once stdout is flushed. */
  exit?: (code: number) => void;
}

/** Ids of the bridge's own requests (replayed initialize, liveness probes): their answers stay here. */
const OWN_PREFIX = 'mcplexer-bridge-';
const SESSION_END_TIMEOUT_MS = 1_000; // how long the exit waits for the gateway to take the session's DELETE

/**
 * `mcplexer connect`: relays JSON-RPC between a stdio client and the gateway's `/mcp`, both ways.
 * Every HTTP request it makes carries `X-MCPlexer-Workspace` with its cwd (a file:// URL), so each
 * request of either protocol era (a 2025 session, or 2026-07-28 requests that have no session)
 * runs in the workspace of the directory the client launched it in. A malformed message is
 * answered here with the error the gateway would give (the same check); one the gateway refuses
 * (an HTTP 4xx with a JSON-RPC error) gets that error as its answer, and the connection stays.
 * When the gateway connection drops (a send fails, or a stream error and then a probe fails),
 * calls in flight fail with an error naming the gateway. The next message re-dials (starting the
 * gateway if none runs), replays initialize (its answer stays here) and is then sent: a message the
 * old gateway never received is not lost, and one it took is never sent twice (it may have run).
 * At the end of stdin every request already read is answered before the exit (0), and when the
 * gateway cannot be started every request gets why (exit 1): see "Ending" in src/cli/README.md.
 * Each message is relayed as the text it arrived as, parsed once and never re-serialised (a batch
 * answer is written member by member); the HTTP side is `GatewayLink` (Streamable HTTP on
 * `node:http`, as the SDK's client transport speaks it).
 */
export class StdioBridge {
  private readonly client = new StdioLines();
  private gateway: GatewayLink | undefined;
  private address: LocatedGateway | undefined;
  private initialize: Message | undefined;
  private protocolVersion: string | undefined;
  private readonly pending = new Set<string | number>();
  private reconnecting: Promise<void> | undefined;
  /** Set while the gateway connection is known to be gone; the next client message re-dials. */
  private lost = false;
  private probing = false;
  private ownIds = 0;
  /** Requests read from the client and not answered on stdout yet. */
  private readonly unanswered = new Unanswered();
  /** Client messages being sent to the gateway (notifications too): stdin's end waits for them. */
  private readonly sending = new Set<Promise<void>>();
  /** The first dial (locate, or start, the gateway): every message waits for it. */
  private ready: Promise<void> | undefined;
  /** Why the gateway could not be started: every request is answered with it, then the bridge exits 1. */
  private startFailure: Error | undefined;
  /** The last reason the gateway could not be reached (a failed send or reconnect). */
  private lastFailure: Error | undefined;
  private inputEnded = false;
  /** The initialize being sent: messages read after it wait for it. */
  private handshake: Promise<void> | undefined;

  /** The cwd as a `file://` URL: percent-encoded, so a directory name outside ASCII fits a header (Node refuses a raw one). */
  private readonly workspace: string;
  /** The headers of every request to the gateway: token, workspace, and what the bridge knows of its client. */
  private headers(token: string): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, [WORKSPACE_HEADER]: this.workspace };
    if (this.options.clientPid !== undefined && this.options.clientPid > 0) headers[CLIENT_PID_HEADER] = String(this.options.clientPid);
    if (this.options.model) headers[MODEL_HEADER] = this.options.model;
    return headers;
  }

  constructor(private readonly options: BridgeOptions) {
    this.workspace = pathToFileURL(path.resolve(options.cwd)).href;
  }

  /**
   * Reads the client at once and dials the gateway meanwhile (messages wait for it); resolves when
   * the gateway is reached. A start that fails answers every request and exits 1 (`options.exit`).
   */
  async start(): Promise<void> {
    this.client.onmessage = (message, line) => void this.fromClient(message, line);
    this.client.onparseerror = (reason) =>
      void this.client.send({ jsonrpc: '2.0', id: null, error: { code: JsonRpcCode.ParseError, message: `Parse error: ${reason}` } });
    // As the gateway answers a body over its limit (413): the request's error, and the connection stays.
    this.client.onoverlong = (id, bytes) => {
      this.options.log(`discarded a message of ${bytes} bytes from the client: over the ${this.client.maxLineBytes}-byte limit`);
      void this.client.send(payloadTooLargeBody(this.client.maxLineBytes, id));
    };
    this.client.onclose = () => void this.endOfInput();
    this.ready = this.dial();
    this.client.start();
    try {
      await this.ready;
    } catch (error) {
      await this.failStart(error as Error);
    }
  }

  /** Writes an answer the bridge makes itself to the client. */
  private reply(body: { id?: unknown; [key: string]: unknown }): Promise<void> {
    this.unanswered.settle(body.id);
    return this.client.send(body);
  }

  /** The gateway could not be started: each request read (and any read before the exit) gets why. */
  private async failStart(error: Error): Promise<void> {
    this.startFailure = error;
    this.options.log(`could not reach or start the MCPlexer gateway: ${error.message}`);
    for (const id of this.unanswered.list()) void this.reply(this.startFailureBody(id));
    await this.exit(1);
  }

  private startFailureBody = (id: string | number) => ({ jsonrpc: '2.0', id, error: startFailureError(this.startFailure!) });

  /** stdin ended: each request read is answered (by the gateway, or why not after `eofTimeoutMs`); then exit 0. */
  private async endOfInput(): Promise<void> {
    this.inputEnded = true;
    const timeoutMs = this.options.eofTimeoutMs ?? DEFAULT_EOF_TIMEOUT_MS;
    const late = !(await this.unanswered.emptyWithin(timeoutMs, this.sending));
    if (this.startFailure) return; // failStart answers and exits
    if (late) {
      const error = eofTimeoutError(this.address?.url ?? 'the gateway', this.lost ? this.lastFailure : undefined, timeoutMs);
      this.options.log(`${error.message}; answered ${this.unanswered.size} request(s) with that error`);
      for (const id of this.unanswered.list()) void this.reply({ jsonrpc: '2.0', id, error });
    }
    await this.exit(0);
  }

  private exiting = false;
  private async exit(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    await this.client.flush();
    await this.gateway?.endSession(SESSION_END_TIMEOUT_MS);
    this.gateway?.close();
    (this.options.exit ?? process.exit)(code);
  }

  private async dial(): Promise<void> {
    this.address = await this.options.locate();
    const link: GatewayLink = new GatewayLink(this.address.url, this.headers(this.address.token), {
      message: (text, message) => this.fromGateway(text, message),
      error: (error) => {
        this.options.log(`gateway stream: ${error.message}`);
        void this.probe(link);
      },
    });
    if (this.protocolVersion) link.setProtocolVersion(this.protocolVersion);
    this.gateway = link;
  }

  private fromClient(raw: unknown, line: string): void {
    const problem = checkClientMessage(raw);
    if (problem) return void this.client.send(jsonRpcErrorBody(problem.error, requestIdOf(raw)));
    this.unanswered.note(raw);
    if (this.startFailure) {
      const id = requestIdOf(raw);
      if (id !== null) void this.reply(this.startFailureBody(id));
      return;
    }
    const message = raw as Message | Message[];
    // What follows an initialize in flight waits for it: the session id comes with its answer (a client that does not wait, `printf … |`, still gets answers).
    const after = isHandshake(message) ? undefined : this.handshake;
    if (!Array.isArray(message) && message.method === 'initialize') this.initialize = message;
    const id = Array.isArray(message) || message.method === undefined ? undefined : message.id;
    const sending = this.forward(message, id, line, after);
    if (isHandshake(message)) this.handshake = sending;
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
  }

  /** Sends a client message to the gateway, re-dialling first when the connection is known to be gone. */
  private async forward(message: Message | Message[], id: string | number | undefined, line: string, after?: Promise<void>): Promise<void> {
    try {
      await this.ready;
    } catch {
      return; // the gateway could not be started: failStart answers
    }
    await after;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (this.lost) this.reconnecting ??= this.reconnect().finally(() => (this.reconnecting = undefined));
      if (this.reconnecting) await this.reconnecting;
      if (id !== undefined) this.pending.add(id);
      try {
        await this.gateway!.send(message, line);
        return;
      } catch (error) {
        if (id !== undefined) this.pending.delete(id);
        const refusal = refusalBody(error);
        // A refusal other than "session not found" (404: the gateway restarted) answers this request; the connection stands.
        if (refusal && (error as GatewayHttpError).status !== 404) {
          if (id !== undefined) void this.reply({ ...refusal, id: refusal.id ?? id });
          else if (Array.isArray(message)) {
            // A batch refused as a whole (id null): nothing in it ran, and no member will be answered.
            void this.client.send(refusal);
            for (const member of message) this.unanswered.settle(member.method !== undefined ? member.id : undefined);
          } else this.options.log(`the gateway refused a message: ${JSON.stringify(refusal.error)}`);
          return;
        }
        // The calls in flight fail; this one is sent once more only if the gateway never took it (else a tool could run twice).
        this.connectionLost(error as Error);
        if (attempt === 1 || error instanceof AnswerLostError) return void requestIds(message).forEach((owed) => this.failCall(owed, error as Error));
      }
    }
  }

  /** After a stream error: a request through the session tells whether the gateway is still there. */
  private async probe(link: GatewayLink): Promise<void> {
    if (this.probing || this.lost || this.reconnecting || link !== this.gateway) return;
    this.probing = true;
    try {
      await link.send({ jsonrpc: '2.0', id: `${OWN_PREFIX}probe-${++this.ownIds}`, method: 'ping' });
    } catch (error) {
      if (link === this.gateway) this.connectionLost(error as Error);
    } finally {
      this.probing = false;
    }
  }

  /** A message from the gateway, written to stdout as its original text. */
  private fromGateway(text: string, message: Message): void {
    if (message.id !== undefined && message.method !== undefined && this.inputEnded) {
      // A request to a client that closed its stdin: it can never answer, so the bridge does.
      void this.gateway
        ?.send({ jsonrpc: '2.0', id: message.id, error: CLIENT_GONE_ERROR })
        .catch((cause: Error) => this.options.log(`could not answer ${message.method}: ${cause.message}`));
      return;
    }
    if (message.id !== undefined && message.method === undefined) {
      if (typeof message.id === 'string' && message.id.startsWith(OWN_PREFIX)) return;
      this.pending.delete(message.id);
      this.unanswered.settle(message.id);
      const version = message.result?.protocolVersion;
      if (typeof version === 'string' && this.initialize && message.id === this.initialize.id) {
        this.protocolVersion = version;
        this.gateway?.setProtocolVersion(version);
      }
    }
    void this.client.sendText(text, message);
  }

  private connectionLost(error: Error): void {
    this.lastFailure = error;
    if (this.lost) return;
    this.lost = true;
    this.options.log(`lost the MCPlexer gateway at ${this.address?.url ?? 'the gateway'}: ${error.message}; reconnecting on the next message`);
    for (const id of this.pending) this.failCall(id, error);
    this.pending.clear();
  }

  private failCall(id: string | number, error: Error): void {
    const where = this.address?.url ?? 'the gateway';
    void this.reply({
      jsonrpc: '2.0',
      id,
      error: { code: JsonRpcCode.GatewayUnreachable, message: `MCPlexer gateway at ${where} connection lost: ${error.message}` },
    });
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.gateway?.close();
        await this.dial();
        if (this.initialize) {
          await this.gateway!.send({ ...this.initialize, id: `${OWN_PREFIX}replay-${++this.ownIds}` });
          await this.gateway!.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        }
        this.lost = false;
        this.options.log('reconnected to the MCPlexer gateway');
        return;
      } catch (error) {
        this.lastFailure = error as Error;
        this.options.log(`reconnect attempt ${attempt + 1} failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  }
}
