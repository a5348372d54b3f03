import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import { defaultDataDir } from '../shared/node/data-dir.js';
import { attachGateway } from './attach.js';
import { registerApprovals } from './approvals/index.js';
import { ToolBudget } from './budget-prompt.js';
import { copyCliToDataDir, stableCliPath } from './cli-copy.js';
import { registerCommands } from './commands.js';
import { registerImportCommand } from './import-servers.js';
import { registerInstallCommands } from './install-client.js';
import { DaemonConnection } from './gateway-connection.js';
import { GatewayLogTail } from './log-tail.js';
import { registerMcpProvider } from './mcp-provider.js';
import { readSettings } from './settings.js';
import { GatewayStatusBar } from './status-bar.js';
import { registerViews } from './views/index.js';
import { WindowLease } from './window-lease.js';
import { WorkspaceSync } from './workspace-sync.js';

const PROGRESS_AFTER_MS = 1000;
/** The start of the log line giving activate()'s own duration: `activate() returned in 12.3 ms`. */
export const ACTIVATE_LINE = 'activate() returned in';
let lease: WindowLease | undefined;

/**
 * Activation returns at once (the goal is ≤ 100 ms): it registers the commands, the status bar and
 * the views, then the Copilot provider (gated on VS Code 1.101), and leaves the daemon attach to
 * run in the background, with a progress notification only when it takes over a second.
 */
export function activate(context: vscode.ExtensionContext): { connection: DaemonConnection } {
  const entered = performance.now();
  const log = vscode.window.createOutputChannel('MCPlexer', { log: true });
  const dataDir = defaultDataDir(process.env);
  const version = String(context.extension.packageJSON.version);
  const cliPath = context.asAbsolutePath(path.join('dist', 'cli.js'));
  const folders = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const connection = new DaemonConnection({
    dataDir,
    folders,
    log,
    attach: () => {
      const s = readSettings();
      return attachGateway({
        dataDir,
        cliPath,
        execPath: process.execPath,
        version,
        idleTimeoutMinutes: s.idleTimeoutMinutes,
        port: s.port,
        logLevel: s.logLevel,
        log: (m) => log.info(m),
      });
    },
  });
  const statusBar = new GatewayStatusBar(connection, dataDir);
  context.subscriptions.push(
    log,
    connection,
    statusBar,
    ...registerCommands({ connection, dataDir, log }),
    ...registerInstallCommands({ connection, log }),
    registerImportCommand({ connection, log }),
  );
  context.subscriptions.push(...registerViews(context, { gateway: connection, log }));

  const budget = new ToolBudget(connection, context.workspaceState, () => readSettings().toolBudget, log);
  context.subscriptions.push(
    budget,
    vscode.commands.registerCommand('mcplexer.copilot.chooseServers', () => budget.refresh().then(() => budget.chooseServers())),
  );
  const provider = registerMcpProvider(connection, budget, () => readSettings().copilotEnabled, log);
  if (provider) context.subscriptions.push(provider);

  const sync = new WorkspaceSync(
    () => connection.client,
    () => readSettings().defaultPolicy,
    log,
  );
  const windowId = randomUUID();
  context.subscriptions.push(...registerApprovals({ gateway: connection, windowId, log }));
  lease = new WindowLease({ windowId, version, client: () => connection.client, folders, log });
  context.subscriptions.push(
    lease,
    new GatewayLogTail(path.join(dataDir, 'gateway.log'), log),
    connection.onDidChangeState((state) => {
      if (state !== 'ready') return lease?.pause();
      void lease?.register();
      void sync.syncFolders(folders()).catch((error: Error) => log.error(`could not map this window's folders to workspaces: ${error.message}`));
      budget.schedule();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      void lease?.register();
      // A removed folder carries the index it had, an added one its new index: same index, same slot.
      const ref = (f: vscode.WorkspaceFolder) => ({ path: f.uri.fsPath, index: f.index });
      void sync
        .folderChange({ added: e.added.map(ref), removed: e.removed.map(ref) })
        .catch((error: Error) => log.error(`could not follow the folder change: ${error.message}`));
    }),
    vscode.workspace.onDidRenameFiles((e) => {
      const renames = e.files.filter((f) => f.oldUri.scheme === 'file').map((f) => ({ from: f.oldUri.fsPath, to: f.newUri.fsPath }));
      if (renames.length) void sync.renames(renames).catch((error: Error) => log.error(`could not follow the rename: ${error.message}`));
    }),
  );

  void copyCliToDataDir(cliPath, dataDir).then(
    (copied) => copied && log.info(`stdio bridge copied to ${stableCliPath(dataDir)}`),
    (error: Error) => log.error(`could not copy the stdio bridge to ${stableCliPath(dataDir)}: ${error.message}`),
  );
  setTimeout(() => attachWithProgress(connection), 0);
  // One machine-readable line (`npm run bench -- --vscode` parses it): the synchronous part only,
  // the attach goes on in the background.
  log.info(`${ACTIVATE_LINE} ${(performance.now() - entered).toFixed(1)} ms`);
  return { connection };
}

function attachWithProgress(connection: DaemonConnection): void {
  const attach = connection.start();
  let done = false;
  void attach.finally(() => (done = true));
  setTimeout(() => {
    if (!done) void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'MCPlexer: starting the gateway…' }, () => attach);
  }, PROGRESS_AFTER_MS);
}

/** Unregisters the window so the daemon's idle clock runs for the windows that remain. */
export async function deactivate(): Promise<void> {
  await lease?.unregister();
  lease = undefined;
}
