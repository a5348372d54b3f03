import type { Command } from 'commander';
import { defaultDataDir } from '../shared/node/index.js';
import { startedGateway } from './locate-gateway.js';
import { StdioBridge } from './stdio-bridge.js';

/** `mcplexer connect`: the stdio bridge for clients that only launch stdio servers. */
export function registerConnect(program: Command): void {
  program
    .command('connect')
    .description('relay MCP over stdio to the running gateway (starting it if needed); the working directory selects the workspace')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .action(async (opts: { home: string }) => {
      const cwd = process.env.MCPLEXER_CLIENT_CWD?.trim() || process.cwd();
      const bridge = new StdioBridge({
        cwd,
        locate: () => startedGateway(opts.home),
        log: (line) => process.stderr.write(`mcplexer connect: ${line}\n`),
      });
      await bridge.start();
    });
}
