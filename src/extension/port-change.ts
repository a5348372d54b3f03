import * as vscode from 'vscode';
import type { DaemonConnection } from './gateway-connection.js';
import { readSettings } from './settings.js';
import { showInfo } from './notify.js';

/**
 * When `mcplexer.port` changes while a gateway runs on another port, offers to restart it there:
 * the setting applies only to the next start, and changing it did nothing visible (a new user's
 * trial). Declining leaves the gateway where it is; the next start uses the setting.
 */
export function offerRestartOnPortChange(connection: Pick<DaemonConnection, 'state' | 'url' | 'restart'>): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (!event.affectsConfiguration('mcplexer.port') || connection.state !== 'ready' || !connection.url) return;
    const wanted = readSettings().port;
    const running = Number(new URL(connection.url).port);
    if (running === wanted) return;
    const choice = await showInfo(
      `MCPlexer: the gateway runs on port ${running}; mcplexer.port (${wanted}) applies when it starts again. Restart it now? Every window and MCP client shares it: calls in progress are cut off.`,
      'Restart Gateway',
    );
    if (choice !== 'Restart Gateway') return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MCPlexer: restarting the gateway' }, () => connection.restart());
  });
}
