/**
 * The words of "MCPlexer: Import Servers from Client…", apart from `vscode` (unit-tested as they
 * are): one row per entry an import can add (picked by default), a line for the entries it cannot
 * (already in MCPlexer, MCPlexer's own, unsupported), and the summary after the import.
 */
import type { ImportableServer, ImportableServersAnswer, ImportResult } from '../shared/schemas/mcp-import.js';

export interface ImportRow {
  label: string;
  description: string;
  detail: string;
  picked: boolean;
  server: ImportableServer;
}

/** What the entry runs: its command line or URL, and the names (never the values) of what it sets. */
export function whatItRuns(server: ImportableServer): string {
  const runs = server.transport === 'http' ? (server.url ?? '') : [server.command ?? '', ...(server.args ?? [])].join(' ');
  const names = server.transport === 'http' ? server.header_names : server.env_names;
  const sets = names.length === 0 ? '' : ` · sets ${names.join(', ')}`;
  const warned = server.warnings?.length ? ` · ⚠ ${server.warnings.join('; ')}` : '';
  return `${runs}${sets}${warned}`;
}

/** The rows of the entries an import would add (`new`), each picked. */
export function importRows(answer: ImportableServersAnswer): ImportRow[] {
  return answer.servers
    .filter((server) => server.status === 'new')
    .map((server) => ({ label: server.name, description: `as ${server.namespace}__<tool>`, detail: whatItRuns(server), picked: true, server }));
}

const LEFT_AS_IS: Record<Exclude<ImportableServer['status'], 'new'>, string> = {
  exists: 'already in MCPlexer',
  ours: "MCPlexer's own entry",
  unsupported: 'cannot be imported',
};

/** The entries no row offers, one phrase each (`github: already in MCPlexer`), for the pick's title and the log. */
export function leftOut(answer: ImportableServersAnswer): string[] {
  return answer.servers
    .filter((server): server is ImportableServer & { status: Exclude<ImportableServer['status'], 'new'> } => server.status !== 'new')
    .map((server) => `${server.name}: ${LEFT_AS_IS[server.status]}${server.reason ? ` (${server.reason})` : ''}`);
}

/** Why there is nothing to pick: no entries at all, or none an import would add. */
export function nothingToImport(clientName: string, answer: ImportableServersAnswer): string {
  if (answer.servers.length === 0) return `${clientName}'s config (${answer.config_path}) has no MCP servers of its own to import.`;
  return `Nothing to import from ${clientName}: ${leftOut(answer).join('; ')}.`;
}

/**
 * The message after an import: what came in (and under which prefix), what was skipped and why,
 * and that the client still starts those servers itself until they are removed from its config
 * (once MCPlexer is installed into it, the same tools would otherwise run twice).
 */
export function importSummary(clientName: string, configPath: string, result: ImportResult): string {
  const parts: string[] = [];
  if (result.imported.length > 0) {
    const names = result.imported.map((server) => `${server.name} (${server.namespace}__…)`).join(', ');
    parts.push(`Imported ${result.imported.length} server${result.imported.length === 1 ? '' : 's'} from ${clientName}: ${names}.`);
  } else parts.push(`Nothing was imported from ${clientName}.`);
  if (result.skipped.length > 0) parts.push(`Skipped: ${result.skipped.map((skip) => `${skip.name} (${skip.reason})`).join('; ')}.`);
  if (result.imported.length > 0) {
    parts.push(`${clientName} still starts them itself: once MCPlexer is installed into it, remove them from ${configPath} so they do not run twice.`);
  }
  return parts.join(' ');
}
