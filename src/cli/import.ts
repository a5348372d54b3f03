import type { Command } from 'commander';
import { defaultDataDir } from '../shared/node/index.js';
import type { ImportableServer, ImportableServersAnswer, ImportResult } from '../shared/schemas/mcp-import.js';
import { otherHome } from './clients.js';
import { restClient } from './locate-gateway.js';
import { writeStderrLine } from './stderr-line.js';
import { writeJson, writeOut } from './terminal-text.js';

/** What an entry runs, for a line of the listing: its URL, or its command line. */
function runs(server: ImportableServer): string {
  return server.url ?? [server.command ?? '', ...(server.args ?? [])].join(' ');
}

/** The dry-run listing: one line per entry (status, name, namespace, what it runs), its reason and warnings indented under it. */
export function importListing(answer: ImportableServersAnswer): string {
  if (answer.servers.length === 0) return `${answer.config_path} holds no MCP servers: nothing to import\n`;
  const lines = [`${answer.config_path}:`];
  const width = Math.max(...answer.servers.map((s) => s.name.length));
  for (const server of answer.servers) {
    const target = server.status === 'exists' || server.status === 'new' ? ` -> ${server.namespace}` : '';
    const what = runs(server).trim(); // empty for an entry too malformed to read (its reason says why)
    lines.push(`  ${server.status.padEnd(11)} ${server.name.padEnd(width)}${target}${what ? `  (${what})` : ''}`.trimEnd());
    if (server.reason) lines.push(`      ${server.reason}`);
    for (const warning of server.warnings ?? []) lines.push(`      warning: ${warning}`);
  }
  const count = answer.servers.filter((s) => s.status === 'new').length;
  lines.push('', count === 0 ? 'nothing new to import' : `"mcplexer import ${answer.client}" would add ${count} server${count === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

/** What an import did, and the hint that the client still starts these servers itself. */
export function importReport(result: ImportResult, answer: ImportableServersAnswer, clientName: string): string {
  const lines: string[] = [];
  for (const item of result.imported) {
    lines.push(`imported ${item.name} as namespace ${item.namespace} (server ${item.server_id})`);
    for (const warning of answer.servers.find((s) => s.name === item.name)?.warnings ?? []) lines.push(`  warning: ${warning}`);
  }
  for (const item of result.skipped) lines.push(`skipped ${item.name}: ${item.reason}`);
  if (lines.length === 0) lines.push('nothing to import: every entry is already in MCPlexer, ours, or unsupported (--dry-run lists them)');
  if (result.imported.length > 0)
    lines.push(
      '',
      `Nothing needs a restart: MCPlexer starts the imported servers itself. ${clientName} still starts these servers itself too: once "mcplexer install ${answer.client}" is done, remove them from ${answer.config_path} to avoid running them twice.`,
    );
  return lines.join('\n') + '\n';
}

/**
 * `mcplexer import <client> [--dry-run] [--only a,b]`: a thin view over `GET` and
 * `POST /mcp-install/{client}/servers|import`. Refusals (unknown client, not detected, a file that
 * cannot be parsed) print the gateway's message and exit 1; so does a gateway that works on
 * another home's files (`otherHome`), unless it is only a dry run.
 */
export function registerImport(program: Command): void {
  program
    .command('import <client>')
    .description("add the MCP servers of a client's own config file to MCPlexer (env and header values are kept encrypted in MCPlexer)")
    .option('--dry-run', 'list each entry with what an import would do (new, exists, ours, unsupported) and its namespace; change nothing')
    .option('--only <names>', 'import only these entries (comma-separated names)')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('--start', 'start the gateway (detached, as the last one ran) if none runs')
    .option('--json', 'print the raw answer')
    .action(async (client: string, opts: { home: string; start?: boolean; dryRun?: boolean; only?: string; json?: boolean }) => {
      const rest = await restClient(opts.home, opts.start, ', or add --start');
      const status = await rest.installStatus();
      const elsewhere = otherHome(status, process.env, client);
      if (elsewhere && !opts.dryRun) throw new Error(`not importing: ${elsewhere}`);
      if (elsewhere) writeStderrLine(`mcplexer: note: ${elsewhere}\n`);
      const answer = await rest.importableServers(client);
      if (opts.dryRun) return void (opts.json ? writeJson(answer) : writeOut(importListing(answer)));
      const only = opts.only?.split(',').map((name) => name.trim());
      if (only?.some((name) => name === '')) throw new Error('--only takes entry names separated by commas, none empty (--dry-run lists them)');
      const result = await rest.importServers(client, only);
      const name = status.clients.find((c) => c.id === client)?.name ?? client;
      if (opts.json) writeJson(result);
      else writeOut(importReport(result, answer, name));
    });
}
