import * as vscode from 'vscode';
import type { DaemonConnection } from './gateway-connection.js';
import { readSettings } from './settings.js';
import { showError, showInfo } from './notify.js';

const RESTART = 'Restart Gateway';
const START = 'Start Gateway';

/**
 * When `mcplexer.port` changes, offers to (re)start the gateway there: the setting applies only to
 * the next start, and changing it did nothing visible (a new user's trial). With a gateway on
 * another port: Restart Gateway; with none running (it failed on the old port, or stopped): Start
 * Gateway (a trial changed a busy port to a free one while stopped and nothing happened). A start
 * that fails on the new port says why, and what to change. Declining leaves things as they are.
 */
export function offerRestartOnPortChange(connection: Pick<DaemonConnection, 'state' | 'url' | 'restart' | 'problem'>): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (!event.affectsConfiguration('mcplexer.port') || connection.state === 'attaching') return;
    const wanted = readSettings().port;
    let choice: string | undefined;
    if (connection.state === 'ready' && connection.url) {
      const running = Number(new URL(connection.url).port);
      if (running === wanted) return;
      choice = await showInfo(
        `MCPlexer: the gateway runs on port ${running}; mcplexer.port (${wanted}) applies when it starts again. Restart it now? Every window and MCP client shares it: calls in progress are cut off.`,
        RESTART,
      );
    } else {
      choice = await showInfo(`MCPlexer: no gateway is running. Start it on port ${wanted} (mcplexer.port) now?`, START);
    }
    if (choice !== RESTART && choice !== START) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MCPlexer: starting the gateway' }, () => connection.restart());
    if (connection.state !== 'ready')
      void showError(`MCPlexer could not start the gateway on port ${wanted}: ${connection.problem}. Choose another port in the mcplexer.port setting.`);
  });
}
