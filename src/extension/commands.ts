import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { stableCliPath } from './cli-copy.js';
import { httpEndpointText, stdioBridgeCommand } from './endpoint-strings.js';
import type { DaemonConnection } from './gateway-connection.js';
import { openDashboardInBrowser } from './open-in-browser.js';
import { connectAccount, connectTargetOf } from './connect-account.js';
import { OAuthErrorWatch } from './oauth-watch.js';
import { offerRestartOnPortChange } from './port-change.js';
import { noticeCrashes } from './crash-notice.js';
import { showError, showInfo, showWarning } from './notify.js';

/**
 * The walkthrough `package.json` contributes, as `workbench.action.openWalkthrough` names it:
 * `<publisher>.<name>#<walkthrough id>`.
 */
export const WALKTHROUGH_ID = 'mcplexer.mcplexer#gettingStarted';

/**
 * Opens the walkthrough. Asked twice: the first Welcome page of a new profile shows VS Code's own
 * onboarding walkthrough whatever was asked for (seen in code-server 4.103: "Setup VS Code Web"),
 * and a second request selects ours in the page now open; when ours is already shown it stays.
 */
async function openWalkthrough(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}

export interface CommandDeps {
  connection: DaemonConnection;
  dataDir: string;
  log: vscode.LogOutputChannel;
}

/**
 * The commands this part owns: Restart Gateway, Show Gateway Logs, Copy MCP Endpoint, Open Data Folder, Open Dashboard in Browser,
 * Connect Account… (and the warning when an OAuth account needs connecting again), Get Started (the walkthrough).
 */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('mcplexer.restartGateway', () => restartGateway(deps)),
    vscode.commands.registerCommand('mcplexer.showLogs', () => deps.log.show(true)),
    vscode.commands.registerCommand('mcplexer.copyEndpoint', () => copyEndpoint(deps)),
    vscode.commands.registerCommand('mcplexer.openDataFolder', () => openDataFolder(deps)),
    vscode.commands.registerCommand('mcplexer.openInBrowser', () => openDashboardInBrowser(deps.connection, deps.log, deps.dataDir)),
    vscode.commands.registerCommand('mcplexer.connectAccount', (arg?: unknown) => connectAccount(deps, connectTargetOf(arg))),
    vscode.commands.registerCommand('mcplexer.getStarted', () => openWalkthrough()),
    new OAuthErrorWatch(deps),
    offerRestartOnPortChange(deps.connection),
    noticeCrashes(deps.connection),
  ];
}

/**
 * Restart Gateway. When the running gateway holds a refused hand edit of config.json, the
 * confirmation says so (the new one would not start until the file is fixed), and a start that
 * fails on config.json offers to open it (a trial restarted with a broken file and lost the
 * gateway, with only Show Gateway Logs offered).
 */
async function restartGateway({ connection, log, dataDir }: CommandDeps): Promise<void> {
  if (connection.state === 'ready') {
    const refused = await connection.client?.health().then(
      (health) => health.config_error,
      () => undefined,
    );
    const warning = refused ? ` config.json holds an edit the gateway refused (${refused}): a new gateway will not start until it is fixed.` : '';
    const answer = await showWarning(
      `Restart the MCPlexer gateway? Every window and MCP client shares it: calls in progress are cut off.${warning}`,
      { modal: true },
      'Restart',
    );
    if (answer !== 'Restart') return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MCPlexer: restarting the gateway' }, () => connection.restart());
  if (connection.state === 'ready') {
    void showInfo(`MCPlexer gateway running at ${connection.url}.`);
  } else {
    log.error(`restart failed: ${connection.problem}`);
    const config = path.join(dataDir, 'config.json');
    const offers = connection.problem?.includes(config) ? [OPEN_CONFIG, SHOW_LOGS] : [SHOW_LOGS];
    const choice = await showError(`MCPlexer could not start the gateway: ${connection.problem}`, ...offers);
    if (choice === OPEN_CONFIG) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(config));
    else if (choice) log.show(true);
  }
}

const OPEN_CONFIG = 'Open config.json';
const SHOW_LOGS = 'Show Gateway Logs';

/** The two quick pick rows of Copy MCP Endpoint, each with the text it copies. */
export function endpointChoices(
  connection: Pick<DaemonConnection, 'url' | 'token'>,
  dataDir: string,
): Array<vscode.QuickPickItem & { text?: string; problem?: string }> {
  const cli = stableCliPath(dataDir);
  return [
    connection.url && connection.token
      ? { label: 'HTTP endpoint', description: `${connection.url}/mcp + Authorization header`, text: httpEndpointText(connection.url, connection.token) }
      : { label: 'HTTP endpoint', description: 'the gateway is not running', problem: 'the gateway is not running: run "MCPlexer: Restart Gateway" first' },
    existsSync(cli)
      ? { label: 'stdio bridge command', description: 'for clients that only launch stdio servers', text: stdioBridgeCommand(cli, dataDir) }
      : { label: 'stdio bridge command', description: `${cli} is missing`, problem: `the bridge was not copied to ${cli} (see Show Gateway Logs)` },
  ];
}

async function copyEndpoint({ connection, dataDir }: CommandDeps): Promise<void> {
  const picked = await vscode.window.showQuickPick(endpointChoices(connection, dataDir), { title: 'MCPlexer: Copy MCP Endpoint', placeHolder: 'What to copy' });
  if (!picked) return;
  if (!picked.text) {
    void showError(`MCPlexer: cannot copy the ${picked.label}: ${picked.problem}.`);
    return;
  }
  await vscode.env.clipboard.writeText(picked.text);
  void showInfo(`MCPlexer: copied the ${picked.label}.`);
}

async function openDataFolder({ dataDir }: CommandDeps): Promise<void> {
  if (!existsSync(dataDir)) {
    void showError(`MCPlexer: the data folder ${dataDir} does not exist yet (the gateway creates it on its first start).`);
    return;
  }
  const uri = vscode.Uri.file(dataDir);
  // Reveal in the OS file manager only where there is one on this side. Remote and web windows open
  // config.json in an editor: opening the folder in a window made it a gateway workspace of its own
  // and laid api-token and secret.key out in the Explorer (a new user's trial in code-server).
  if (vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) {
    await vscode.commands.executeCommand('revealFileInOS', uri);
    return;
  }
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.joinPath(uri, 'config.json'));
  void showInfo(`MCPlexer: the data folder is ${dataDir} on the machine the gateway runs on; its config.json is open (the gateway reloads it when you save).`);
}
