import type { Server } from '@modelcontextprotocol/server';
import type { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { SessionView } from '../calls/index.js';
import type { LogLevelName } from './log-level.js';

/** One MCP session of one client (2025 era: stateful; 2026 era: one per request). */
export class McpSession implements SessionView {
  readonly connectedAt = new Date().toISOString();
  readonly active = new Set<string>();
  /** What the client declared it can answer (downstream `clientCapabilityKey`): selects the instances its calls use. */
  capabilityKey = '';
  /** Downstream notifications dropped on the lean path because the client read its stream too slowly. */
  droppedNotifications = 0;
  clientName: string | undefined;
  clientVersion: string | undefined;
  dir: string | undefined;
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

  constructor(
    readonly id: string,
    readonly era: 'legacy' | 'modern',
    /** The Authorization header that opened the session; later requests must carry the same. */
    readonly owner: Buffer,
  ) {}

  toolsChanged(): void {
    this.notify(() => this.server.sendToolListChanged());
  }

  /** Sends a notification if the session still listens; a gone client is not an error. */
  notify(send: () => Promise<void>): void {
    if (this.era !== 'legacy') return;
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

  all(): McpSession[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }
}
