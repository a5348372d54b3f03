import type { Command } from 'commander';
import { modelFromHeader } from '../gateway/index.js';
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
      const log = (line: string) => process.stderr.write(`mcplexer connect: ${line}\n`);
      const bridge = new StdioBridge({
        cwd,
        locate: () => startedGateway(opts.home),
        log,
        // The process that launched the bridge is the client (Claude Desktop, Cursor …): the dashboard shows its pid.
        clientPid: process.ppid,
        model: modelFromEnv(log),
      });
      await bridge.start();
    });
}

/** `MCPLEXER_MODEL`, if set and acceptable; a bad value is reported and left out (the gateway would refuse every request carrying it). */
function modelFromEnv(log: (line: string) => void): string | undefined {
  const value = process.env.MCPLEXER_MODEL;
  if (value === undefined || value.trim() === '') return undefined;
  try {
    return modelFromHeader(value);
  } catch (error) {
    log(`MCPLEXER_MODEL is ignored: ${(error as Error).message}`);
    return undefined;
  }
}
