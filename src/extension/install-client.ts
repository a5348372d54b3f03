import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { ApiError, type RestClient } from '../shared/rest-client.js';
import type { ClientStateAnswer } from '../shared/schemas/mcp-install.js';
import type { DaemonConnection } from './gateway-connection.js';
import { showError, showInfo, showWarning } from './notify.js';

/** What can be done to a client's entry. */
export type InstallAction = 'install' | 'update' | 'uninstall';

export interface ClientRow extends vscode.QuickPickItem {
  client: ClientStateAnswer;
  /** Empty when nothing can be done (not detected; a file that cannot be parsed). */
  actions: InstallAction[];
}

const VERB: Record<InstallAction, string> = { install: 'Install', update: 'Update', uninstall: 'Uninstall' };
const PREVIEW_SCHEME = 'mcplexer-preview';

/** A client's state in words (as `mcplexer clients` prints it) and what can be done to it. */
export function clientRow(client: ClientStateAnswer): ClientRow {
  const [state, actions]: [string, InstallAction[]] = client.error
    ? ['cannot be parsed', []]
    : !client.detected
      ? ['not detected', []]
      : client.stale
        ? ['stale: update available', ['update', 'uninstall']]
        : client.configured
          ? ['configured', ['uninstall']]
          : ['not configured', ['install']];
  return { label: client.name, description: state, detail: client.config_path, client, actions };
}

/** The quick pick's rows: detected clients first, each group in the registry's order. */
export function clientRows(clients: readonly ClientStateAnswer[]): ClientRow[] {
  const rows = clients.map(clientRow);
  return [...rows.filter((row) => row.client.detected), ...rows.filter((row) => !row.client.detected)];
}

/** The previews the diff editor shows on its right side (and an empty left side for a missing file). */
class PreviewDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
  /** A document named like the config file (so it gets the file's language) holding `text`. */
  put(clientId: string, file: string, side: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${clientId}/${side}/${path.basename(file)}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }
  dispose(): void {
    this.changed.dispose();
  }
}

export interface InstallDeps {
  connection: DaemonConnection;
  log: vscode.LogOutputChannel;
}

/**
 * "MCPlexer: Install into Client…": a quick pick of the clients with their state, then, for the
 * chosen action, the diff (the current file against what install, update or uninstall would write)
 * in a diff editor first, and the change only on confirmation. Each time the window attaches to
 * another gateway (a restart, a new port), entries gone stale (its port, token or runtime changed)
 * are offered for an update the same way: offered only at the first attach, a restart on a new
 * port left every client pointing at a dead one (a new user's trial).
 */
export function registerInstallCommands(deps: InstallDeps): vscode.Disposable[] {
  const previews = new PreviewDocuments();
  let offeredFor: string | undefined;
  const offerOnReady = deps.connection.onDidChangeState((state) => {
    const gateway = `${deps.connection.url} ${deps.connection.lock?.pid} ${deps.connection.lock?.startedAt}`;
    if (state !== 'ready' || offeredFor === gateway) return;
    offeredFor = gateway;
    void offerStaleUpdates(deps, previews);
  });
  return [
    previews,
    offerOnReady,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand('mcplexer.installClient', () => installIntoClient(deps, previews)),
  ];
}

function restOf({ connection }: InstallDeps): RestClient | undefined {
  if (connection.client) return connection.client;
  void showError('MCPlexer: the gateway is not running: run "MCPlexer: Restart Gateway" first.');
  return undefined;
}

/**
 * Why a client offers nothing to do: its file's error, or the gateway's own words for a client it
 * does not detect (it knows where it looked, and says what to do). Guessing from the config path
 * was wrong for Claude Code, whose `~/.claude.json` sits in the home folder itself (a new user's
 * trial was told "<home> does not exist").
 */
export async function whyNoAction(rest: Pick<RestClient, 'installPreview'>, client: ClientStateAnswer): Promise<string> {
  if (client.error) return `${client.error}.`;
  try {
    await rest.installPreview(client.id);
    return `${client.name} has nothing to install or remove right now.`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function installIntoClient(deps: InstallDeps, previews: PreviewDocuments): Promise<void> {
  const rest = restOf(deps);
  if (!rest) return;
  const status = await guarded(deps, () => rest.installStatus());
  if (!status) return;
  const picked = await vscode.window.showQuickPick(clientRows(status.clients), {
    title: 'MCPlexer: Install into Client',
    placeHolder: 'Choose an MCP client (its state is beside its name)',
    matchOnDescription: true,
  });
  if (!picked) return;
  if (picked.actions.length === 0) {
    void showWarning(`MCPlexer: ${await whyNoAction(rest, picked.client)}`);
    return;
  }
  let action = picked.actions[0]!;
  if (picked.actions.length > 1) {
    const chosen = await vscode.window.showQuickPick(
      picked.actions.map((a) => ({ label: VERB[a], action: a })),
      { title: `MCPlexer: ${picked.client.name}`, placeHolder: `What to do with the mcplexer entry of ${picked.client.name}` },
    );
    if (!chosen) return;
    action = chosen.action;
  }
  await applyWithPreview(deps, rest, previews, picked.client, action);
}

/** Shows the diff of `action` on the client's file, then applies it if the user confirms. Returns whether it was applied. */
async function applyWithPreview(
  deps: InstallDeps,
  rest: RestClient,
  previews: PreviewDocuments,
  client: ClientStateAnswer,
  action: InstallAction,
): Promise<boolean> {
  const preview = await guarded(deps, () => rest.installPreview(client.id, action === 'uninstall' ? 'uninstall' : 'install'));
  if (!preview) return false;
  const file = preview.config_path;
  const left = existsSync(file) ? vscode.Uri.file(file) : previews.put(client.id, file, 'missing', '');
  const right = previews.put(client.id, file, action, preview.content);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${client.name}: ${path.basename(file)} ↔ after ${VERB[action].toLowerCase()}`, {
    preview: true,
  });
  const verb = VERB[action];
  const answer = await showInfo(
    `${verb} MCPlexer in ${client.name}? The diff editor shows the change to ${file}; ${path.basename(file)}.bak keeps the file as it was before MCPlexer's entry first went in.`,
    { modal: true },
    verb,
  );
  // The diff was shown for this question only: it goes with the answer, whichever it was.
  await closeDiff(right);
  if (answer !== verb) return false;
  const state = await guarded(deps, () => (action === 'uninstall' ? rest.uninstallClient(client.id) : rest.installClient(client.id)));
  if (!state) return false;
  deps.log.info(`${verb.toLowerCase()}: ${client.id} (${file})`);
  void showInfo(
    action === 'uninstall'
      ? `MCPlexer: removed from ${client.name}.`
      : `MCPlexer: ${action === 'update' ? 'updated' : 'installed'} in ${client.name}; restart ${client.name} to load it.${state.note ? ` Note: ${state.note}.` : ''}`,
  );
  return true;
}

/** Closes the diff editor tabs whose right side is `modified` (a tab the user already closed is no longer there). */
async function closeDiff(modified: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === modified.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

/** Offers to update the detected clients whose entry is stale, each with its diff first. */
async function offerStaleUpdates(deps: InstallDeps, previews: PreviewDocuments): Promise<void> {
  const rest = deps.connection.client;
  const status = rest && (await rest.installStatus().catch((error: unknown) => void deps.log.warn(`mcp-install status: ${String(error)}`)));
  const stale = status?.clients.filter((client) => client.detected && client.stale && !client.error) ?? [];
  if (!rest || stale.length === 0) return;
  const names = stale.map((client) => client.name).join(', ');
  const answer = await showInfo(`MCPlexer's entry in ${names} is out of date (the gateway's port, token or runtime changed).`, 'Review and Update…');
  if (answer !== 'Review and Update…') return;
  for (const client of stale) await applyWithPreview(deps, rest, previews, client, 'update');
}

/**
 * Runs a REST call; a refusal (404, 409, 422…) is shown with the gateway's message, logged under
 * `topic`, and gives undefined. Other errors (a bug) are thrown.
 */
export async function guarded<T>(deps: { log: Pick<vscode.LogOutputChannel, 'warn'> }, call: () => Promise<T>, topic = 'mcp-install'): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    deps.log.warn(`${topic}: ${error.message}`);
    void showError(`MCPlexer: ${error.message}`);
    return undefined;
  }
}
