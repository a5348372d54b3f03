import { pathToFileURL } from 'node:url';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { GatewayAddress } from './locate-gateway.js';

type Message = { jsonrpc: '2.0'; id?: string | number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: unknown };

export interface BridgeOptions {
  cwd: string;
  locate: () => Promise<GatewayAddress>;
  log: (line: string) => void;
}

/** Ids of the bridge's own requests (replayed initialize, liveness probes): their answers stay here. */
const OWN_PREFIX = 'mcplexer-bridge-';

/**
 * `mcplexer connect`: relays JSON-RPC between a stdio client and the gateway's `/mcp`, both ways.
 * It adds `roots` (its cwd) to an initialize that has none, so the gateway picks the workspace.
 * When the gateway connection drops (a send fails, or a stream error and then a probe fails),
 * calls in flight fail with an error naming the gateway. The next message from the client re-dials
 * (starting the gateway if none runs), replays initialize (the client never sees the replayed
 * answer) and is then sent: a message the old gateway never received is not lost.
 */
export class StdioBridge {
  private readonly client = new StdioServerTransport();
  private gateway: StreamableHTTPClientTransport | undefined;
  private address: GatewayAddress | undefined;
  private initialize: Message | undefined;
  private protocolVersion: string | undefined;
  private readonly pending = new Set<string | number>();
  private reconnecting: Promise<void> | undefined;
  /** Set while the gateway connection is known to be gone; the next client message re-dials. */
  private lost = false;
  private probing = false;
  private ownIds = 0;

  constructor(private readonly options: BridgeOptions) {}

  async start(): Promise<void> {
    await this.dial();
    this.client.onmessage = (message) => void this.fromClient(message as Message);
    this.client.onclose = () => void this.gateway?.close().finally(() => process.exit(0));
    await this.client.start();
  }

  private async dial(): Promise<void> {
    this.address = await this.options.locate();
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', this.address.url), {
      requestInit: { headers: { authorization: `Bearer ${this.address.token}` } },
    });
    transport.onmessage = (message) => this.fromGateway(message as Message);
    transport.onerror = (error) => {
      this.options.log(`gateway stream: ${error.message}`);
      void this.probe(transport);
    };
    await transport.start();
    if (this.protocolVersion) transport.setProtocolVersion(this.protocolVersion);
    this.gateway = transport;
  }

  private async fromClient(message: Message): Promise<void> {
    if (message.method === 'initialize') {
      const params = { ...(message.params ?? {}) };
      if (!Array.isArray(params.roots)) params.roots = [{ uri: pathToFileURL(this.options.cwd).href, name: 'cwd' }];
      message = { ...message, params };
      this.initialize = message;
    }
    const id = message.method !== undefined ? message.id : undefined;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      if (this.lost) this.reconnecting ??= this.reconnect().finally(() => (this.reconnecting = undefined));
      if (this.reconnecting) await this.reconnecting;
      if (id !== undefined) this.pending.add(id);
      try {
        await this.gateway!.send(message as never);
        return;
      } catch (error) {
        // The gateway never took this message: the calls in flight fail, this one is sent once more.
        if (id !== undefined) this.pending.delete(id);
        this.connectionLost(error as Error);
        if (attempt === 1 && id !== undefined) this.failCall(id, error as Error);
      }
    }
  }

  /** After a stream error: a request through the session tells whether the gateway is still there. */
  private async probe(transport: StreamableHTTPClientTransport): Promise<void> {
    if (this.probing || this.lost || this.reconnecting || transport !== this.gateway) return;
    this.probing = true;
    try {
      await transport.send({ jsonrpc: '2.0', id: `${OWN_PREFIX}probe-${++this.ownIds}`, method: 'ping' } as never);
    } catch (error) {
      if (transport === this.gateway) this.connectionLost(error as Error);
    } finally {
      this.probing = false;
    }
  }

  private fromGateway(message: Message): void {
    if (message.id !== undefined && message.method === undefined) {
      if (typeof message.id === 'string' && message.id.startsWith(OWN_PREFIX)) return;
      this.pending.delete(message.id);
      const version = message.result?.protocolVersion;
      if (typeof version === 'string' && this.initialize && message.id === this.initialize.id) {
        this.protocolVersion = version;
        this.gateway?.setProtocolVersion(version);
      }
    }
    void this.client.send(message as never);
  }

  private connectionLost(error: Error): void {
    if (this.lost) return;
    this.lost = true;
    this.options.log(`lost the MCPlexer gateway at ${this.address?.url ?? 'the gateway'}: ${error.message}; reconnecting on the next message`);
    for (const id of this.pending) this.failCall(id, error);
    this.pending.clear();
  }

  private failCall(id: string | number, error: Error): void {
    const where = this.address?.url ?? 'the gateway';
    void this.client.send({ jsonrpc: '2.0', id, error: { code: -32004, message: `MCPlexer gateway at ${where} connection lost: ${error.message}` } } as never);
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.gateway?.close().catch(() => undefined);
        await this.dial();
        if (this.initialize) {
          await this.gateway!.send({ ...this.initialize, id: `${OWN_PREFIX}replay-${++this.ownIds}` } as never);
          await this.gateway!.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as never);
        }
        this.lost = false;
        this.options.log('reconnected to the MCPlexer gateway');
        return;
      } catch (error) {
        this.options.log(`reconnect attempt ${attempt + 1} failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  }
}
