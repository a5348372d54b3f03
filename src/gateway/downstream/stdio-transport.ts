/**
 * An MCP client transport over a child's stdin/stdout that owns the child's process group.
 * Writes are framed by the SDK's `serializeMessage`; reads by `LineReader` (one `JSON.parse` per
 * line and a shape check, no schema re-validation of what is only relayed). What this adds over the SDK's stdio
 * transport: the child leads its own process group (so stop kills the whole tree), stderr goes to
 * a ring buffer, the exit code/signal is kept for error messages, and writes made in the same
 * event-loop turn are coalesced into one write to stdin.
 */
import type { StdoutNoise } from './stdout-noise.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { ProtocolErrorCode, SdkError, SdkErrorCode, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import type { GroupRegistry } from './group-registry.js';
import { LineReader } from './line-reader.js';
import { killGroup, trackGroup } from './process-group.js';
import type { StderrRing } from './stderr-ring.js';

export interface StdioSpec {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
}

export interface StdioTransportOptions {
  /** SIGTERM → SIGKILL grace when stopping the process group (ms). */
  graceMs: number;
  /** The most one message on stdout may hold (bytes, without its newline); read at each chunk. */
  maxMessageBytes: () => number;
  /** Where the child's process group is recorded while it lives (none: not recorded). */
  groups?: GroupRegistry;
  /** Where stdout lines that are not JSON-RPC are kept (fed only with lines that failed to parse). */
  noise?: StdoutNoise;
}

/** Set when the child sent a message over the limit: the connection was closed because of it. */
export interface OversizeInfo {
  bytesSeen: number;
  limit: number;
  /**
   * Where it came: `stdout` (default; the server is stopped), an HTTP `response` to one request
   * (only that call fails), or an HTTP event `stream` no request owns (the connection is closed).
   */
  where?: 'stdout' | 'response' | 'stream';
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The gateway had asked the child to stop: the exit is a consequence, never the cause of a failure. */
  requested: boolean;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** `error.data.mcplexer` of the error response that stands for a malformed answer (`describeCallError` words it). */
export const MALFORMED_RESPONSE = 'malformed_response';

/** The JSON-RPC error response that stands for a malformed answer to request `id`. */
function malformedResponse(id: string | number, reason: string, line: string): JSONRPCMessage {
  const message = `answered with a malformed JSON-RPC message (${reason}): ${line.slice(0, 200)}`;
  return { jsonrpc: '2.0', id, error: { code: ProtocolErrorCode.InternalError, message, data: { mcplexer: MALFORMED_RESPONSE } } };
}
/** After the child exits, how long to wait for stdout's last bytes before declaring the connection closed. */
const STDOUT_DRAIN_MS = 200;

export class StdioChildTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Consulted before `onmessage`: true takes the message (the lean requests' answers, lean-requests.ts). */
  intercept?: (message: JSONRPCMessage) => boolean;
  /** Set once the child has exited. */
  exit?: ExitInfo;
  /** Set when a message exceeded `maxMessageBytes` (the reason this transport closed). */
  oversize?: OversizeInfo;

  private child?: ChildProcess;
  private readonly reader = new LineReader(
    (message) => this.deliver(message),
    (line, reason, value) => this.onJunk(line, reason, value),
    () => this.options.maxMessageBytes(),
    (bytesSeen, limit) => this.onOversize(bytesSeen, limit),
  );
  private pending = '';
  private flushScheduled = false;
  private closed = false;
  private finished = false;
  private childPid?: number;
  private stopping?: Promise<void>;
  /** close() was called (by the SDK, the connection or the size limit): an exit after it is our doing. */
  private closeRequested = false;
  private reaping?: Promise<void>;

  constructor(
    private readonly spec: StdioSpec,
    private readonly stderr: StderrRing,
    private readonly options: StdioTransportOptions,
  ) {}

  get pid(): number | undefined {
    return this.childPid;
  }

  start(): Promise<void> {
    if (this.child) return Promise.reject(new Error('stdio transport already started'));
    return new Promise((resolve, reject) => {
      const child = spawn(this.spec.command, this.spec.args, {
        cwd: this.spec.cwd,
        env: this.spec.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
      this.child = child;
      let spawned = false;
      child.once('spawn', () => {
        spawned = true;
        this.childPid = child.pid;
        if (child.pid !== undefined) {
          trackGroup(child.pid);
          this.options.groups?.add(child.pid, [this.spec.command, ...this.spec.args].join(' '));
        }
        resolve();
      });
      child.on('error', (error) => {
        if (!spawned) {
          this.closed = true;
          reject(error);
        } else this.onerror?.(error);
      });
      child.once('exit', (code, signal) => this.onExit(code, signal));
      child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
      child.stdout!.once('end', () => {
        if (this.exit) this.finish();
        else void this.stopOnce(); // a server that closed its stdout can never answer again (its doing, not a requested stop)
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => this.stderr.push(text));
      // EPIPE after the child died: the exit handler reports the death, this is only noise.
      child.stdin!.on('error', () => undefined);
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed || !this.child?.stdin?.writable) {
      return Promise.reject(new SdkError(SdkErrorCode.NotConnected, 'Not connected'));
    }
    this.pending += serializeMessage(message);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
    return RESOLVED;
  }

  /** Stops the child's whole process group (SIGTERM, SIGKILL after the grace period). */
  close(): Promise<void> {
    this.closeRequested = true;
    return this.stopOnce();
  }

  private stopOnce(): Promise<void> {
    if (!this.stopping) this.stopping = this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    const child = this.child;
    if (this.childPid !== undefined && !this.exit) {
      if (this.pending) this.flush();
      child?.stdin?.end();
      await this.killTree(this.childPid);
    }
    await this.reaping;
    this.finish();
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const data = this.pending;
    this.pending = '';
    if (data && !this.closed) this.child?.stdin?.write(data);
  };

  /** Stops the group, then forgets its record (the group is gone, or as good as: SIGKILL was sent). */
  private killTree(pid: number): Promise<void> {
    return killGroup(pid, this.options.graceMs).finally(() => this.options.groups?.remove(pid));
  }

  private onData(chunk: Buffer): void {
    this.reader.append(chunk);
  }

  /**
   * A line that is not a JSON-RPC message. One that still names a request by its id (a response
   * without `result`/`error`, a wrong `jsonrpc`) is that request's answer, malformed: it is turned
   * into an error response for that id (`malformedResponse`), so the call fails now, saying what
   * came, instead of waiting out its timeout for an answer that already came. Any other line is
   * reported and skipped (its request, if any, cannot be known).
   */
  private deliver(message: JSONRPCMessage): void {
    if (this.intercept?.(message)) return;
    this.onmessage?.(message);
  }

  private onJunk(line: string, reason: string, value: unknown): void {
    this.options.noise?.push(line);
    this.onerror?.(new Error(`skipped a line on stdout (${reason}): ${line.slice(0, 200)}`));
    const id = (value as { id?: unknown } | undefined)?.id;
    const isCall = typeof (value as { method?: unknown } | undefined)?.method === 'string';
    if ((typeof id === 'string' || typeof id === 'number') && !isCall) this.deliver(malformedResponse(id, reason, line));
  }

  /** A message over the limit: the stream cannot be resynchronised, so the child is stopped. */
  private onOversize(bytesSeen: number, limit: number): void {
    this.oversize = { bytesSeen, limit };
    this.onerror?.(new Error(`a message on stdout exceeded ${limit} bytes (${bytesSeen} bytes read without a newline)`));
    void this.close();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exit = { code, signal, requested: this.closeRequested };
    const pid = this.childPid;
    // The leader is gone; take its descendants with it (unless a stop is already doing so).
    if (pid !== undefined && !this.stopping) this.reaping = this.killTree(pid);
    if (this.child?.stdout?.readableEnded) this.finish();
    else setTimeout(() => this.finish(), STDOUT_DRAIN_MS).unref();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.closed = true;
    const child = this.child;
    this.reader.clear();
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    child?.stdin?.destroy();
    this.onclose?.();
  }
}
