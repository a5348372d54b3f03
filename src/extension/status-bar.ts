import * as vscode from 'vscode';
import type { DaemonConnection } from './gateway-connection.js';

/**
 * The status bar item: the gateway's state, its port and how many servers failed. A click opens
 * the MCPlexer views when the gateway runs, and runs Restart Gateway when it is in error.
 */
export class GatewayStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcplexer.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  private failed: string[] = [];
  private refreshing: Promise<void> | undefined;

  constructor(private readonly connection: DaemonConnection) {
    this.item.name = 'MCPlexer Gateway';
    this.subscriptions.push(
      connection.onDidChangeState(() => this.update(true)),
      connection.onEvent((event) => event.type === 'downstream.state' && this.update(true)),
    );
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
    } catch (error) {
      void error; // the connection's health poll reports an unreachable daemon
    }
    this.render();
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
      item.text = `$(server-process) MCPlexer :${lock?.port}${failed}`;
      item.tooltip = `MCPlexer gateway ${lock?.version} at ${this.connection.url} (pid ${lock?.pid})${
        this.failed.length ? `\nFailed: ${this.failed.join(', ')}` : ''
      }\nClick to open the Servers view.`;
      item.backgroundColor = this.failed.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      item.command = 'workbench.view.extension.mcplexer';
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
