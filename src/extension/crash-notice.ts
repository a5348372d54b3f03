import * as vscode from 'vscode';
import type { DaemonConnection } from './gateway-connection.js';
import { showWarning } from './notify.js';

const RESTART = 'Restart Gateway';
const LOGS = 'Show Gateway Logs';

/**
 * Says so when the daemon ends without a stop (killed, crashed): only the status bar did, and
 * Copilot and every other MCP client were without a gateway until the user noticed it (a
 * robustness trial). A stop (`mcplexer stop`, Restart, a drain) releases the lock and says
 * nothing here. Offers Restart Gateway and the logs.
 */
export function noticeCrashes(connection: Pick<DaemonConnection, 'state' | 'crashed' | 'problem' | 'onDidChangeState'>): vscode.Disposable {
  return connection.onDidChangeState((state) => {
    if (state !== 'error' || !connection.crashed) return;
    void showWarning(`MCPlexer: ${connection.problem}. Copilot and the other MCP clients cannot reach it until it runs again.`, RESTART, LOGS).then(
      (choice) => {
        if (choice === RESTART) void vscode.commands.executeCommand('mcplexer.restartGateway');
        else if (choice === LOGS) void vscode.commands.executeCommand('mcplexer.showLogs');
      },
    );
  });
}
