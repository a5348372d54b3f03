import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PORT, startGateway } from '../gateway/index.js';
import { defaultDataDir } from '../shared/node/index.js';
import { dashboardUrl } from '../shared/schemas/ui.js';
import { homeFlag, selfCommand } from './self.js';
import { writeStderrLine } from './stderr-line.js';

/** `mcplexer serve`: the gateway daemon, headless, until SIGINT/SIGTERM or `mcplexer stop`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the gateway on 127.0.0.1 (REST API at /api/v1, MCP at /mcp, dashboard at /)')
    .option('-p, --port <port>', `port to listen on (env MCPLEXER_PORT; default ${DEFAULT_PORT}, or the next free one when that is taken)`)
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('-c, --config <file>', 'YAML file that seeds servers, workspaces and routes (env MCPLEXER_CONFIG)', process.env.MCPLEXER_CONFIG)
    .option('--exit-when-idle <minutes>', 'stop after this many minutes with no editor window, MCP session or call (fractions allowed; default: never)')
    .action(async (opts: { port?: string; home: string; config?: string; exitWhenIdle?: string }) => {
      // A port the user chose is kept or refused; only the default falls back to the next free one.
      const chosen = opts.port ?? (process.env.MCPLEXER_PORT?.trim() || undefined);
      const port = chosen === undefined ? DEFAULT_PORT : Number(chosen);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new Error(`invalid port "${chosen}" (from ${opts.port === undefined ? 'MCPLEXER_PORT' : '--port'}): give a number from 0 to 65535`);
      const idle = opts.exitWhenIdle === undefined ? undefined : Number(opts.exitWhenIdle);
      if (idle !== undefined && !(idle > 0 && Number.isFinite(idle)))
        throw new Error(`invalid --exit-when-idle "${opts.exitWhenIdle}": give a number of minutes greater than 0 (e.g. 30, or 0.5)`);
      // Taken before the start: the gateway answers health while its audit trail still opens (the
      // start resolves after that), and a signal then must still stop it cleanly, not kill it.
      const shutdown = () =>
        void starting.then(
          (started) => started.stop().then(() => process.exit(0)),
          () => undefined,
        );
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      const dataDir = path.resolve(opts.home);
      const starting = startGateway({
        dataDir,
        port,
        portFallback: chosen === undefined,
        configFile: opts.config,
        mode: 'headless',
        onStopRequest: shutdown,
        // As soon as it answers (whoever started it reads this in gateway.log once health answers).
        onListening: (url) => {
          writeStderrLine(`MCPlexer ${url} (data: ${dataDir}; API token in ${dataDir}/api-token)`);
          // As the user ran it: a clone's `npm start` has no `mcplexer` on the PATH until `npm link`.
          const self = selfCommand(process.argv, process.stderr.isTTY === true, dataDir);
          const home = homeFlag(dataDir);
          writeStderrLine(`Dashboard: ${dashboardUrl(url)} (sign in with the token from "${self} token${home}", or run "${self} open${home}")`);
        },
        exitWhenIdleMinutes: idle,
      });
      await starting; // a failed start is reported by main.ts (exit 1)
    });
}
