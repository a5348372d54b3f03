import type { Command } from 'commander';
import { defaultDataDir, startGateway } from '../gateway/index.js';

/** `mcplexer serve`: the gateway daemon, headless, until SIGINT/SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the gateway on 127.0.0.1 (REST API at /api/v1, MCP at /mcp, dashboard at /)')
    .option('-p, --port <port>', 'port to listen on (env MCPLEXER_PORT)', process.env.MCPLEXER_PORT ?? '8080')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('-c, --config <file>', 'YAML file that seeds servers, workspaces and routes (env MCPLEXER_CONFIG)', process.env.MCPLEXER_CONFIG)
    .action(async (opts: { port: string; home: string; config?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`invalid port "${opts.port}"`);
      const gateway = await startGateway({ dataDir: opts.home, port, configFile: opts.config, mode: 'headless' });
      process.stderr.write(`MCPlexer ${gateway.url} (data: ${gateway.dataDir}; API token in ${gateway.dataDir}/api-token)\n`);
      const shutdown = () => void gateway.stop().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
