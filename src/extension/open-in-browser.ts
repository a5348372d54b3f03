import * as vscode from 'vscode';
import { stableCliPath, writeOpenPage } from '../shared/node/index.js';
import { dashboardUrl } from '../shared/schemas/ui.js';
import { openDashboardCommand } from './endpoint-strings.js';
import type { DaemonConnection } from './gateway-connection.js';
import { showError, showWarning } from './notify.js';

/**
 * "MCPlexer: Open Dashboard in Browser": asks the daemon for a one-time code (`POST
 * /api/v1/ui/codes`, with this window's token) and has the system browser open
 * `http://127.0.0.1:<port>/?code=…`, which spends it for a session of that tab; the token itself
 * never leaves the editor. The browser is handed a private page in the data dir that leads on to
 * the link, never the link: an opener's arguments are readable by every local user
 * (shared/node/open-page.ts). Failures are shown, never thrown. A web or remote window is told
 * where the dashboard is instead (its port proxy cannot serve it). Returns the link (tests), or undefined.
 */
export async function openDashboardInBrowser(
  connection: Pick<DaemonConnection, 'state' | 'client'>,
  log: Pick<vscode.LogOutputChannel, 'error'>,
  dataDir: string,
  open: (uri: vscode.Uri) => Thenable<boolean> = (uri) => vscode.env.openExternal(uri),
): Promise<string | undefined> {
  const client = connection.state === 'ready' ? connection.client : undefined;
  if (!client) {
    void showError('MCPlexer: the gateway is not running, so there is no dashboard to open: run "MCPlexer: Restart Gateway" first.');
    return undefined;
  }
  // A web or remote window opens the link through its host's port proxy (code-server's /proxy/8080/):
  // the page's root-absolute assets miss that prefix, and the gateway refuses the proxy's origin as
  // it refuses any other web page (its Origin check is what keeps web pages from creating a
  // downstream). A blank page helps nobody (a new user's trial): say where the dashboard is instead.
  const command = openDashboardCommand(stableCliPath(dataDir), dataDir);
  if (vscode.env.uiKind === vscode.UIKind.Web || vscode.env.remoteName !== undefined) {
    void showWarning(
      `MCPlexer: the browser dashboard is served only at ${client.baseUrl}/ on the machine the gateway runs on (it refuses pages reached through a proxy); there, run ${command} in a terminal. In this window, use the MCPlexer views in the sidebar.`,
    );
    return undefined;
  }
  try {
    const { code } = await client.createUiCode();
    const url = dashboardUrl(client.baseUrl, code);
    if (await open(vscode.Uri.parse(writeOpenPage(dataDir, url), true))) return url;
    void showError(`MCPlexer: VS Code could not open a browser. Run ${command} in a terminal instead.`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Open Dashboard in Browser failed: ${message}`);
    void showError(`MCPlexer: could not open the dashboard: ${message}`);
  }
  return undefined;
}
