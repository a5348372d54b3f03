import * as vscode from 'vscode';
import type { DaemonConnection } from './gateway-connection.js';
import { showWarning } from './notify.js';

/** How often health is read while the gateway runs (ms): a refused hand edit of config.json sends no event. */
const HEALTH_MS = 5_000;

/**
 * The status bar item: the gateway's state, its port, how many servers failed, and a config.json
 * the gateway refused (with a warning, once per error, offering to open it). A click opens the
 * MCPlexer views when the gateway runs, config.json when it refused an edit, and runs Restart
 * Gateway when it is in error.
 */
export class GatewayStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcplexer.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  private failed: string[] = [];
  /** Health's `config_error`: why the gateway runs on its last good config (a hand edit it refused). */
  private configError: string | undefined;
  private warned: string | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;

  /** @param dataDir where config.json is (opened from the warning and the item) */
  constructor(
    private readonly connection: Pick<DaemonConnection, 'state' | 'lock' | 'problem' | 'url' | 'client' | 'onDidChangeState' | 'onEvent'>,
    private readonly dataDir: string,
  ) {
    this.item.name = 'MCPlexer Gateway';
    this.subscriptions.push(
      connection.onDidChangeState(() => this.update(true)),
      connection.onEvent((event) => (event.type === 'downstream.state' || event.type === 'config.changed') && this.update(true)),
    );
    this.timer = setInterval(() => this.update(true), HEALTH_MS);
    this.timer.unref?.();
    this.update(false);
    this.item.show();
  }

  /** Renders the state; with `refresh`, reads the failed servers from health first. */
  update(refresh: boolean): void {
    this.render();
    if (refresh && this.connection.state === 'ready') {
      this.refreshing ??= this.readFailed().finally(() => (this.refreshing = undefined));
    }
  }

  private async readFailed(): Promise<void> {
    try {
      const health = await this.connection.client?.health();
      this.failed = (health?.downstreams ?? []).filter((d) => d.state === 'failed').map((d) => d.name);
      this.configError = health?.config_error;
    } catch (error) {
      void error; // the connection's health poll reports an unreachable daemon
    }
    this.render();
    if (this.configError !== undefined && this.configError !== this.warned) {
      this.warned = this.configError;
      void showWarning(`MCPlexer: config.json was not applied: ${this.configError}. The gateway runs on the last good config.`, 'Open config.json').then(
        (choice) => choice && vscode.commands.executeCommand('vscode.open', this.configUri()),
      );
    }
    if (this.configError === undefined) this.warned = undefined;
  }

  private render(): void {
    const { state, lock, problem } = this.connection;
    const item = this.item;
    if (state === 'attaching') {
      item.text = '$(sync~spin) MCPlexer';
      item.tooltip = 'MCPlexer: attaching to the gateway…';
      item.backgroundColor = undefined;
      item.command = 'mcplexer.showLogs';
    } else if (state === 'error') {
      item.text = '$(error) MCPlexer: stopped';
      item.tooltip = `MCPlexer: ${problem ?? 'the gateway is not running'}. Click to restart the gateway.`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      item.command = { title: 'Restart Gateway', command: 'mcplexer.restartGateway' };
    } else {
      const failed = this.failed.length ? ` $(warning) ${this.failed.length} failed` : '';
      const refused = this.configError !== undefined ? ' $(warning) config.json not applied' : '';
      item.text = `$(server-process) MCPlexer :${lock?.port}${failed}${refused}`;
      item.tooltip = `MCPlexer gateway ${lock?.version} at ${this.connection.url} (pid ${lock?.pid})${
        this.failed.length ? `\nFailed: ${this.failed.join(', ')}` : ''
      }${refused ? `\nconfig.json was not applied (the last good config runs): ${this.configError}\nClick to open config.json.` : '\nClick to open the Servers view.'}`;
      item.backgroundColor = this.failed.length || refused ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      item.command = refused ? { title: 'Open config.json', command: 'vscode.open', arguments: [this.configUri()] } : 'workbench.view.extension.mcplexer';
    }
  }

  private configUri(): vscode.Uri {
    return vscode.Uri.joinPath(vscode.Uri.file(this.dataDir), 'config.json');
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
