import type { ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/server';
import type { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { withRoots, type Root, type SessionView } from '../calls/index.js';
import type { FolderSet } from '../routing/index.js';
import type { LogLevelName } from './log-level.js';

/**
 * Notifications handed to a session's GET stream while its socket was full (since it last
 * drained) after which its reader counts as gone and the stream is cut off, as the audit stream
 * cuts off a reader 64 events behind. The SDK queues what it cannot write without bound, so a
 * client that keeps the stream open and stops reading would otherwise hold every later
 * notification in memory, and keep its session busy (never expiring) for ever.
 */
export const MAX_STREAM_BEHIND = 64;

/** One MCP session of one client (2025 era: stateful; 2026 era: one per request). */
export class McpSession implements SessionView {
  readonly connectedAt = new Date().toISOString();
  readonly active = new Set<string>();
  readonly linkedResources = new Map<string, string>();
  /** What the client declared it can answer (downstream `clientCapabilityKey`). */
  capabilityKey = '';
  /** The client's roots as it last listed them (valid entries only); undefined until it answers. */
  roots: Root[] | undefined;
  /** `capabilityKey` with `roots` (`withRoots`): selects the instances its calls use, and partitions the tool-call cache. */
  clientKey = '';
  /** Downstream notifications dropped on the lean path because the client read its stream too slowly. */
  droppedNotifications = 0;
  clientName: string | undefined;
  clientVersion: string | undefined;
  /** `X-MCPlexer-Client-Pid` (client-identity.ts): the client process, when it says. */
  clientPid: number | undefined;
  /** `X-MCPlexer-Model`, and the header value it was taken from (a changed value is checked again). */
  modelHint: string | undefined;
  modelHeader: string | undefined;
  dir: string | undefined;
  /** A multi-root window's folders (`X-MCPlexer-Workspace` as a JSON array): decisions take the strictest. */
  folders: FolderSet | undefined;
  /** The tool set of `X-MCPlexer-Servers` (server ids); undefined: every server. */
  servers: ReadonlySet<string> | undefined;
  /** The `X-MCPlexer-Servers` value last accepted, and the config version it was resolved in. */
  serversHeader: string | undefined;
  serversHeaderVersion = 0;
  /** Where the directory came from: a header outranks the client's roots. */
  dirSource: 'header' | 'roots' | undefined;
  /** The minimum level of downstream log messages this client asked for with `logging/setLevel`. */
  logLevel: LogLevelName | undefined;
  /** Set once the client sent `notifications/initialized`; the fast path serves only then. */
  initialized = false;
  server!: Server;
  /** Calls in flight on the fast path, by JSON-RPC id, so `notifications/cancelled` can abort them. */
  readonly fastCalls = new Map<string | number, AbortController>();
  /** Server→client requests the fast path relayed, awaiting the client's answer. */
  readonly fastServerRequests = new Map<string | number, { resolve(result: Record<string, unknown>): void; reject(error: Error): void }>();
  transport: NodeStreamableHTTPServerTransport | undefined;
  /** When the client was last seen on this session (ms since the epoch): the idle clock. */
  lastActivity = Date.now();
  /** Requests of this session still open on the SDK path, a GET stream included. */
  openRequests = 0;
  /** The `X-MCPlexer-Workspace` value last accepted, and the config version it was resolved in. */
  workspaceHeader: string | undefined;
  workspaceHeaderVersion = 0;
  /** GET streams open (the SDK path's channel for messages related to no request: list_changed, a roots/list of our own). */
  listening = 0;
  /** The client's roots (roots.ts): whether an answer came, an ask in flight, and until when (ms since the epoch) a first tools/list waits. */
  rootsAnswered = false;
  rootsAsk: { done: Promise<void>; related: boolean } | undefined;
  rootsWaitUntil = 0;
  /** Why the client's roots select no directory (none is a file:// or vscode-remote:// root): for the session list. */
  rootProblem: string | undefined;
  /** Fingerprint of the tools last answered to tools/list, and of the list last announced by list_changed (list-changes.ts). */
  listedTools: string | undefined;
  notifiedTools: string | undefined;
  /** Compares what this session sees now with what it was last sent, and sends list_changed if they differ (set by server-factory.ts). */
  checkTools: () => void = () => undefined;

  constructor(
    readonly id: string,
    readonly era: 'legacy' | 'modern',
    /** The Authorization header that opened the session; later requests must carry the same. */
    readonly owner: Buffer,
  ) {}

  /** A call in flight or a stream open: the client is there, so the session does not expire. */
  get busy(): boolean {
    return this.openRequests > 0 || this.fastCalls.size > 0;
  }

  /** Its own tools changed (`mcpx__load_tools`): `list_changed` if the list it was sent differs. */
  toolsChanged(): void {
    this.checkTools();
  }

  /** The open GET stream's response (the SDK path), watched for a reader that stopped reading (endpoint.ts sets it). */
  stream: ServerResponse | undefined;
  /** Called after the GET stream was cut off (`MAX_STREAM_BEHIND`), with how many notifications it was behind. */
  onStreamCutOff: (behind: number) => void = () => undefined;
  private streamBehind = 0;

  /** The client's declared capabilities (`clientCapabilityKey`), from its `initialize`. */
  setCapabilities(key: string): void {
    this.capabilityKey = key;
    this.clientKey = withRoots(key, this.roots, this.id);
  }

  /**
   * The client's roots as it listed them (`roots/list`): entries with a string `uri` (and a string
   * `name`, kept) are kept, the rest dropped. Its later calls use instances of these roots.
   */
  setRoots(roots: unknown): void {
    const list = Array.isArray(roots) ? roots : [];
    this.roots = list.flatMap((root: { uri?: unknown; name?: unknown } | null) =>
      typeof root?.uri === 'string' ? [typeof root.name === 'string' ? { uri: root.uri, name: root.name } : { uri: root.uri }] : [],
    );
    this.clientKey = withRoots(this.capabilityKey, this.roots, this.id);
  }

  /**
   * Sends a notification if the session still listens; a gone client is not an error. While the
   * GET stream's socket is full, notifications are counted; past `MAX_STREAM_BEHIND` the stream is
   * destroyed (the client reconnects it when it reads again) and this one is not sent.
   */
  notify(send: () => Promise<void>): void {
    if (this.era !== 'legacy') return;
    const stream = this.stream;
    if (stream?.writableNeedDrain) {
      if (this.streamBehind === 0) stream.once('drain', () => (this.streamBehind = 0));
      if (++this.streamBehind > MAX_STREAM_BEHIND) {
        const behind = this.streamBehind;
        this.streamBehind = 0;
        this.stream = undefined;
        stream.destroy();
        this.onStreamCutOff(behind);
        return;
      }
    }
    send().catch(() => undefined);
  }
}

/** The live 2025-era sessions, by session id. */
export class SessionRegistry {
  private readonly sessions = new Map<string, McpSession>();

  /** @param onEnd called once for each session that ends (DELETE, transport close, expiry): its subscriptions go. */
  constructor(private readonly onEnd: (session: McpSession) => void = () => undefined) {}

  get(id: string): McpSession | undefined {
    return this.sessions.get(id);
  }

  add(session: McpSession): void {
    this.sessions.set(session.id, session);
  }

  delete(id: string): void {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    this.onEnd(session);
  }

  /**
   * The sessions idle for at least `idleMs` at `now` (ms). A busy session's idle clock restarts
   * at every sweep that finds it busy, so it counts from (about) the end of its last call.
   */
  idle(now: number, idleMs: number): McpSession[] {
    const out: McpSession[] = [];
    for (const session of this.sessions.values()) {
      if (session.busy) session.lastActivity = now;
      else if (now - session.lastActivity >= idleMs) out.push(session);
    }
    return out;
  }

  all(): McpSession[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }
}
