import type { CallPipeline, DiscoveryService, DownstreamPort, RuntimeConfig } from '../calls/index.js';
import type { Logger } from '../log.js';

/** What the MCP front is built from: the composition root hands these in. */
export interface FrontDependencies {
  version: string;
  config: () => RuntimeConfig;
  pipeline: CallPipeline;
  discovery: DiscoveryService;
  downstream: DownstreamPort;
  logger: Logger;
}

/** A JSON-RPC notification or request as the relay passes it on: method and params only. */
export type RelayMessage = { method: string; params?: Record<string, unknown> };

/** Wraps a request handler so that whatever it throws reaches the client as a JSON-RPC error (`toProtocolError`). */
export type Guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A) => Promise<R>;
