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

const REPLAY_PREFIX = 'mcplexer-bridge-replay-';

/**
 * `mcplexer connect`: relays JSON-RPC between a stdio client and the gateway's `/mcp`, both ways.
 * It adds `roots` (its cwd) to an initialize that has none, so the gateway picks the workspace.
 * When the gateway connection drops, calls in flight fail with an error naming the gateway, and
 * the bridge re-dials and replays initialize (the client never sees the replayed answer).
 */
export class StdioBridge {
  private readonly client = new StdioServerTransport();
  private gateway: StreamableHTTPClientTransport | undefined;
  private address: GatewayAddress | undefined;
  private initialize: Message | undefined;
  private protocolVersion: string | undefined;
  private readonly pending = new Set<string | number>();
  private reconnecting: Promise<void> | undefined;
  private replays = 0;

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
    transport.onerror = (error) => this.options.log(`gateway stream: ${error.message}`);
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
    if (this.reconnecting) await this.reconnecting;
    const isRequest = message.method !== undefined && message.id !== undefined;
    if (isRequest) this.pending.add(message.id!);
    try {
      await this.gateway!.send(message as never);
    } catch (error) {
      this.connectionLost(error as Error);
    }
  }

  private fromGateway(message: Message): void {
    if (message.id !== undefined && message.method === undefined) {
      if (typeof message.id === 'string' && message.id.startsWith(REPLAY_PREFIX)) return;
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
    const where = this.address?.url ?? 'the gateway';
    this.options.log(`lost the MCPlexer gateway at ${where}: ${error.message}; reconnecting`);
    for (const id of this.pending) {
      void this.client.send({ jsonrpc: '2.0', id, error: { code: -32002, message: `MCPlexer gateway at ${where} connection lost: ${error.message}` } } as never);
    }
    this.pending.clear();
    this.reconnecting ??= this.reconnect().finally(() => {
      this.reconnecting = undefined;
    });
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.gateway?.close().catch(() => undefined);
        await this.dial();
        if (this.initialize) {
          this.replays += 1;
          await this.gateway!.send({ ...this.initialize, id: `${REPLAY_PREFIX}${this.replays}` } as never);
          await this.gateway!.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as never);
        }
        this.options.log('reconnected to the MCPlexer gateway');
        return;
      } catch (error) {
        this.options.log(`reconnect attempt ${attempt + 1} failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  }
}
