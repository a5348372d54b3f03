import { readFileSync } from 'node:fs';
import { writeStderrLine } from './stderr-line.js';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { copyCliToDataDir, defaultDataDir, stableCliPath } from '../shared/node/index.js';
import { CLIENT_PATH_VARIABLES, type ClientStateAnswer, type InstallStatusAnswer } from '../shared/schemas/mcp-install.js';
import { restClient } from './locate-gateway.js';
import { writeJson, writeOut } from './terminal-text.js';

const HOME_HELP = 'data directory (env MCPLEXER_HOME)';
const START_HELP = 'start the gateway (detached, as the last one ran) if none runs';

/** A client's state in one word: what the extension's quick pick shows too. */
export function clientStateWord(client: ClientStateAnswer): string {
  if (client.error) return 'unreadable';
  if (!client.detected) return 'not detected';
  if (client.stale) return 'stale';
  return client.configured ? 'configured' : 'not configured';
}

/** The client each variable but XDG_CONFIG_HOME moves the file of (registry.ts). */
const VARIABLE_CLIENT: Record<string, string> = { CLAUDE_CONFIG_DIR: 'claude_code', CODEX_HOME: 'codex', GEMINI_CLI_HOME: 'gemini_cli' };

/**
 * When the gateway runs under another home than this command's, the files it reads and writes are
 * its user's clients', not this user's (a new user's trial ran `install` with another HOME and
 * saw the gateway's /root paths): the words that say so, else undefined.
 */
export function otherHome(
  status: Pick<InstallStatusAnswer, 'home' | 'path_variables' | 'clients'>,
  env: NodeJS.ProcessEnv = process.env,
  client?: string,
): string | undefined {
  const mine = (process.platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME) || homedir();
  const restart = '"mcplexer stop", then start it from this shell';
  if (status.home && path.resolve(status.home) !== path.resolve(mine))
    return `the gateway runs with the home directory ${status.home}, so it works on the clients' files under it, not under yours (${mine}); to install into your own clients, run the gateway as yourself (${restart})`;
  // The same for the variables that move a client's file (a trial: CODEX_HOME set in the shell, ~/.codex edited);
  // for one client, only those that move its file.
  const file = client === undefined ? undefined : status.clients.find((c) => c.id === client)?.config_path;
  const moves = (name: string) => {
    if (client === undefined) return true;
    if (name !== 'XDG_CONFIG_HOME') return VARIABLE_CLIENT[name] === client;
    const xdg = status.path_variables?.XDG_CONFIG_HOME || path.join(status.home ?? mine, '.config');
    return file !== undefined && file.startsWith(xdg + path.sep);
  };
  const differ = CLIENT_PATH_VARIABLES.filter(
    (name) => status.path_variables !== undefined && (status.path_variables[name] ?? null) !== (env[name] || null) && moves(name),
  );
  if (differ.length === 0) return undefined;
  const shown = (value: string | null | undefined) => (value ? `=${value}` : ' unset');
  const each = differ.map((name) => `${name}${shown(env[name])} here but${shown(status.path_variables![name])} for the gateway`).join('; ');
  return `the gateway's environment places clients' files elsewhere than this shell's (${each}), so it works on the files its variables name; to use this shell's, restart the gateway from it (${restart})`;
}

/**
 * The diff with the API token shown as where it comes from: a preview is read on screen and pasted
 * into bug reports, and the token is a credential (the written file holds it, as the client needs).
 */
function maskToken(diff: string, dataDir: string): string {
  let token = '';
  try {
    token = readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return token ? diff.split(token).join(`<the token in ${path.join(dataDir, 'api-token')}>`) : diff;
}

/**
 * `mcplexer clients`, `mcplexer install <client> [--dry-run]`, `mcplexer uninstall <client>`:
 * thin views over the gateway's /mcp-install endpoints. Refusals (unknown client, not detected,
 * not configured, a file that cannot be parsed) print the gateway's message and exit 1.
 */
export function registerClients(program: Command): void {
  program
    .command('clients')
    .description('list the MCP clients MCPlexer can install into, with their state and config file')
    .option('--home <dir>', HOME_HELP, defaultDataDir())
    .option('--start', START_HELP)
    .option('--json', 'print the raw status')
    .action(async (opts: { home: string; start?: boolean; json?: boolean }) => {
      const status = await (await restClient(opts.home, opts.start, ', or add --start')).installStatus();
      if (opts.json) return void writeJson(status);
      const elsewhere = otherHome(status);
      if (elsewhere) writeStderrLine(`mcplexer: note: ${elsewhere}\n`);
      const rows = status.clients.map((c) => [c.id, c.name, clientStateWord(c), c.config_path]);
      const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length), ['CLIENT', 'NAME', 'STATE'][i]!.length));
      const line = (row: string[]) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ');
      writeOut([line(['CLIENT', 'NAME', 'STATE', 'CONFIG FILE']), ...rows.map(line)].join('\n') + '\n');
      // Why a file is unreadable (its line and column), under the table: the table says only that it is.
      for (const client of status.clients) if (client.error || client.note) writeOut(`\n${client.name}: ${client.error ?? client.note}\n`);
    });
  program
    .command('install <client>')
    .description(
      "write the mcplexer entry into a client's MCP config (only that entry changes; the file as it was before MCPlexer's entry is kept as <file>.bak)",
    )
    .option('--dry-run', 'print the diff install would apply, and write nothing')
    .option('--home <dir>', HOME_HELP, defaultDataDir())
    .option('--start', START_HELP)
    .action(async (client: string, opts: { home: string; start?: boolean; dryRun?: boolean }) => {
      const rest = await restClient(opts.home, opts.start, ', or add --start');
      const status = await rest.installStatus();
      const elsewhere = otherHome(status, process.env, client);
      if (elsewhere && !opts.dryRun) throw new Error(`not installing: ${elsewhere}`);
      if (elsewhere) writeStderrLine(`mcplexer: note: ${elsewhere}\n`);
      if (opts.dryRun) {
        const preview = await rest.installPreview(client);
        return void writeOut(maskToken(preview.diff, opts.home) || `${preview.config_path} already holds the mcplexer entry: nothing to change\n`);
      }
      // Stdio entries run the stable copy of this CLI under the data dir (the extension makes it too).
      const script = process.argv[1];
      if (script && path.resolve(script) !== stableCliPath(opts.home)) await copyCliToDataDir(script, opts.home);
      const before = status.clients.find((c) => c.id === client);
      const state = await rest.installClient(client);
      // Install writes nothing when the entry is already as it should be: say so, not "restart".
      if (before?.configured && !before.stale && !before.error)
        return void writeOut(`${state.name} (${state.config_path}) already holds the mcplexer entry as it should be: nothing changed\n`);
      writeOut(`installed mcplexer into ${state.name} (${state.config_path}); restart ${state.name} to load it\n`);
      if (state.note) writeOut(`note: ${state.note}\n`);
    });
  program
    .command('uninstall <client>')
    .description("remove the mcplexer entry (and a legacy mx one of MCPlexer's) from a client's MCP config")
    .option('--home <dir>', HOME_HELP, defaultDataDir())
    .option('--start', START_HELP)
    .action(async (client: string, opts: { home: string; start?: boolean }) => {
      const rest = await restClient(opts.home, opts.start, ', or add --start');
      const elsewhere = otherHome(await rest.installStatus(), process.env, client);
      if (elsewhere) throw new Error(`not uninstalling: ${elsewhere}`);
      const state = await rest.uninstallClient(client);
      writeOut(`removed mcplexer from ${state.name} (${state.config_path})\n`);
    });
}
