import { Command } from 'commander';
import { registerClients } from './clients.js';
import { registerConnect } from './connect.js';
import { registerDashboard } from './dashboard.js';
import { registerImport } from './import.js';
import { registerInspect } from './inspect.js';
import { registerServe } from './serve.js';
import { registerStop } from './stop.js';
import { writeStderrLine } from './stderr-line.js';

declare const __MCPLEXER_VERSION__: string;

const program = new Command()
  .name('mcplexer')
  .description('MCPlexer: one MCP endpoint for many MCP servers, with per-workspace routing and policy.')
  .version(__MCPLEXER_VERSION__);
registerServe(program);
registerConnect(program);
registerInspect(program);
registerStop(program);
registerDashboard(program);
registerClients(program);
registerImport(program);

// Commander answers `--help` before it looks at the command, so `mcplexer inspcet --help` printed
// the top-level help and exited 0, as if the command existed (a chaos trial): a script took it
// for success. An unknown command is an error whatever follows it.
const first = process.argv[2];
if (first !== undefined && !first.startsWith('-') && first !== 'help' && !program.commands.some((c) => c.name() === first || c.aliases().includes(first))) {
  program.error(`error: unknown command '${first}' (mcplexer --help lists the commands)`);
}

// A reader that stops early (`mcplexer dry-run … | head -1`) closes the pipe: the next write fails
// with EPIPE, which crashed the CLI with an unhandled 'error' event and a stack trace (a trial).
// Nobody reads the rest: it goes nowhere, and the command ends with its own exit code (a dry-run's
// 2 for a deny). The bridge and the daemon handle their own streams.
if (first !== 'connect' && first !== 'serve') {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

program.parseAsync(process.argv).catch((error: unknown) => {
  writeStderrLine(`mcplexer: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
