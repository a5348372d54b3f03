import type { Command } from 'commander';
import { modelFromHeader } from '../gateway/index.js';
import { defaultDataDir } from '../shared/node/index.js';
import { DEFAULT_EOF_TIMEOUT_MS } from './bridge-errors.js';
import { startedGateway } from './locate-gateway.js';
import { writeStderrLine } from './stderr-line.js';
import { StdioBridge } from './stdio-bridge.js';

/** `mcplexer connect`: the stdio bridge for clients that only launch stdio servers. */
export function registerConnect(program: Command): void {
  program
    .command('connect')
    .description('relay MCP over stdio to the running gateway (starting it if needed); the working directory selects the workspace')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('-p, --port <port>', 'port of a gateway this command starts when none runs (env MCPLEXER_PORT; default: the last one used)')
    .action(async (opts: { home: string; port?: string }) => {
      const cwd = process.env.MCPLEXER_CLIENT_CWD?.trim() || process.cwd();
      const log = (line: string) => writeStderrLine(`mcplexer connect: ${line}`);
      if (opts.port !== undefined && !/^\d{1,5}$/.test(opts.port))
        throw new Error(`invalid --port "${opts.port}": give a number from 0 to 65535 (or leave it out: the gateway picks its port)`);
      const bridge = new StdioBridge({
        cwd,
        locate: () => startedGateway(opts.home, opts.port === undefined ? [] : ['--port', opts.port]),
        log,
        // The process that launched the bridge is the client (Claude Desktop, Cursor …): the dashboard shows its pid.
        clientPid: process.ppid,
        model: modelFromEnv(log),
        eofTimeoutMs: eofTimeoutFromEnv(log),
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

/** `MCPLEXER_CONNECT_EOF_TIMEOUT_SEC` in ms (seconds > 0, fractions allowed); unset or bad: the default, a bad value reported. */
function eofTimeoutFromEnv(log: (line: string) => void): number {
  const value = process.env.MCPLEXER_CONNECT_EOF_TIMEOUT_SEC?.trim();
  if (value === undefined || value === '') return DEFAULT_EOF_TIMEOUT_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  log(`MCPLEXER_CONNECT_EOF_TIMEOUT_SEC "${value}" is ignored: give a number of seconds greater than 0 (default ${DEFAULT_EOF_TIMEOUT_MS / 1000})`);
  return DEFAULT_EOF_TIMEOUT_MS;
}
