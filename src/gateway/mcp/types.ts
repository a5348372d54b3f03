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
