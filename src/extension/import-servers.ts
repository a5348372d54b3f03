import * as vscode from 'vscode';
import type { RestClient } from '../shared/rest-client.js';
import type { ClientStateAnswer } from '../shared/schemas/mcp-install.js';
import type { DaemonConnection } from './gateway-connection.js';
import { guarded } from './install-client.js';
import { importRows, importSummary, leftOut, nothingToImport, type ImportRow } from './import-servers-model.js';
import { showError, showInfo } from './notify.js';

export interface ImportDeps {
  connection: DaemonConnection;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
}

const OPEN_SERVERS = 'Open Servers';
const INSTALL = 'Install MCPlexer into It…';

/**
 * "MCPlexer: Import Servers from Client…": the detected clients, then the MCP servers in the
 * chosen one's own config that an import would add (all picked; those it cannot are named in the
 * title), then the import, as `POST /mcp-install/{client}/import` does it for the CLI. The summary
 * says what came in, what did not and why, and offers the Servers view and installing MCPlexer into
 * the client, the usual next step.
 */
export function registerImportCommand(deps: ImportDeps): vscode.Disposable {
  return vscode.commands.registerCommand('mcplexer.importServers', () => importFromClient(deps));
}

async function importFromClient(deps: ImportDeps): Promise<void> {
  const rest = deps.connection.client;
  if (!rest) {
    void showError('MCPlexer: the gateway is not running: run "MCPlexer: Restart Gateway" first.');
    return;
  }
  const status = await guarded(deps, () => rest.installStatus(), 'import');
  if (!status) return;
  const detected = status.clients.filter((client) => client.detected && !client.error);
  if (detected.length === 0) {
    void showInfo('MCPlexer: no MCP client with a config of its own was found on this machine.');
    return;
  }
  const client = await vscode.window.showQuickPick(
    detected.map((c) => ({ label: c.name, detail: c.config_path, client: c })),
    { title: 'MCPlexer: Import Servers from Client', placeHolder: 'Choose the client whose MCP servers to bring behind MCPlexer' },
  );
  if (!client) return;
  await importFrom(deps, rest, client.client);
}

async function importFrom(deps: ImportDeps, rest: RestClient, client: ClientStateAnswer): Promise<void> {
  const answer = await guarded(deps, () => rest.importableServers(client.id), 'import');
  if (!answer) return;
  const rows = importRows(answer);
  if (rows.length === 0) {
    void showInfo(`MCPlexer: ${nothingToImport(client.name, answer)}`);
    return;
  }
  const others = leftOut(answer);
  const picked = (await vscode.window.showQuickPick(rows, {
    canPickMany: true,
    title: `MCPlexer: servers in ${client.name} to import${others.length > 0 ? ` (left out: ${others.join('; ')})` : ''}`,
    placeHolder: 'Pick the servers to import (secrets stored encrypted)',
    matchOnDetail: true,
  })) as readonly ImportRow[] | undefined;
  if (!picked || picked.length === 0) return;
  const names = picked.map((row) => row.server.name);
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `MCPlexer: importing ${names.length} server${names.length === 1 ? '' : 's'} from ${client.name}…`,
    },
    () => guarded(deps, () => rest.importServers(client.id, names), 'import'),
  );
  if (!result) return;
  deps.log.info(`import from ${client.id}: ${result.imported.map((s) => s.name).join(', ') || 'none'}; skipped ${result.skipped.length}`);
  const actions = result.imported.length > 0 ? (client.configured ? [OPEN_SERVERS] : [OPEN_SERVERS, INSTALL]) : [];
  const choice = await showInfo(`MCPlexer: ${importSummary(client.name, answer.config_path, result)}`, ...actions);
  if (choice === OPEN_SERVERS) await vscode.commands.executeCommand('mcplexer.openServers');
  if (choice === INSTALL) await vscode.commands.executeCommand('mcplexer.installClient');
}
