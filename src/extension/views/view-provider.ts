/**
 * One webview view (Servers, Routes, Dashboard, Audit, Approvals): its HTML with a strict CSP, its channel to the daemon
 * through the host, and the daemon's state and events relayed to it. The view keeps its own state
 * with getState/setState (no `retainContextWhenHidden`): a hidden view is rebuilt from it.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { AnyProtocol, ViewNoteOf } from '../../shared/webviews/protocol.js';
import type { z } from 'zod';
import type { GatewayConnection } from '../gateway-connection.js';
import { eventNote } from '../../shared/webviews/host/event-note.js';
import type { ClientSource } from '../../shared/webviews/host/client-source.js';
import { HostChannel } from '../../shared/webviews/host/host-channel.js';
import { InstanceDisposers } from '../../shared/webviews/host/host-context.js';
import type { ViewEntry } from '../../shared/webviews/host/views.js';
import { webviewHtml } from './webview-html.js';

export interface ViewHostOptions<P extends AnyProtocol> extends ViewEntry<P> {
  viewId: string;
  source: ClientSource;
  extensionUri: vscode.Uri;
  gateway: GatewayConnection;
  log: vscode.LogOutputChannel;
}

type Note<P extends AnyProtocol> = { method: ViewNoteOf<P>; params: unknown };

/** How long a view shown again waits for its page's view/ready before it takes the page as kept (ms). */
const KEPT_PAGE_MS = 2_000;

export class ViewHost<P extends AnyProtocol> implements vscode.WebviewViewProvider, vscode.Disposable {
  private channel: HostChannel<P> | undefined;
  private ready = false;
  /** Notifications sent before the view listens (a command that opened it); delivered on `view/ready`. */
  private queued: Array<Note<P>> = [];
  private readonly perView: vscode.Disposable[] = [];
  /** Shown again without a view/ready (a page VS Code kept): the queue goes out when this fires. */
  private kept: NodeJS.Timeout | undefined;

  constructor(private readonly options: ViewHostOptions<P>) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    const { extensionUri, bundle, protocol, gateway, log } = this.options;
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot, vscode.Uri.joinPath(extensionUri, 'media')] };
    const uri = (file: string) => view.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, file)).toString();
    view.webview.html = webviewHtml({
      cspSource: view.webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      title: this.options.title,
      scriptUri: uri(`${bundle}.js`),
      styleUri: uri(`${bundle}.css`),
      codiconUri: uri('codicon.css'),
    });
    const channelLog = { warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) };
    // This instance's own: a handler of a view that is gone must not reach the next one.
    const disposers = new InstanceDisposers((error) => log.error(`closing a view's resources failed: ${error.message}`));
    const handlers = this.options.handlers(this.options.source, {
      notify: (method, params) => void (!disposers.disposed && channel.notify(method, params)),
      onDispose: (dispose) => disposers.add(dispose),
      connectAccount: (serverId) => void vscode.commands.executeCommand('mcplexer.connectAccount', { server_id: serverId }),
    });
    const channel: HostChannel<P> = new HostChannel(
      protocol,
      handlers,
      (message) => view.webview.postMessage(message),
      channelLog,
      (note) => {
        if (note.method === 'view/ready') this.onReady();
        else if (note.method === 'gateway/restart') void vscode.commands.executeCommand('mcplexer.restartGateway');
        else if (note.method === 'view/dropped') log.warn(`${protocol.name} view dropped a message: ${(note.params as { reason: string }).reason}`);
      },
    );
    this.channel = channel;
    this.perView.push(
      view.webview.onDidReceiveMessage((message: unknown) => void channel.receive(message)),
      gateway.onDidChangeState(() => this.sendState()),
      // Events before `view/ready` are not queued: the view loads a fresh snapshot when it starts.
      gateway.onEvent((event) => void (this.ready && channel.notify('gateway/event' as ViewNoteOf<P>, eventNote(event) as never))),
      view.onDidDispose(() => this.disposeView()),
      // Hidden (another sidebar container shown, the pane collapsed), the page is torn down: no
      // retainContextWhenHidden. A message posted then is lost, so notifications wait again for the
      // page's next view/ready (a palette command that sends one and then reveals the view; a new
      // user's trial saw "Dry Run…" from the Explorer show the previous tool's verdict). Should the
      // page have been kept after all, it says nothing on showing: what waits goes after a moment.
      view.onDidChangeVisibility(() => {
        clearTimeout(this.kept);
        if (!view.visible) this.ready = false;
        else if (!this.ready) this.kept = setTimeout(() => this.channel === channel && !this.ready && this.onReady(), KEPT_PAGE_MS);
      }),
      { dispose: () => disposers.dispose() },
      { dispose: () => clearTimeout(this.kept) },
    );
  }

  /** Sends a notification now if the view listens, else when it does (at most the last 20 kept). */
  notify<M extends ViewNoteOf<P>>(method: M, params: z.input<P['toView'][M]>): void {
    if (this.channel && this.ready) this.channel.notify(method, params);
    else this.queued = [...this.queued, { method, params }].slice(-20);
  }

  /** Shows the view (VS Code's generated `<viewId>.focus` command resolves it if needed). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${this.options.viewId}.focus`);
  }

  dispose(): void {
    this.disposeView();
  }

  private onReady(): void {
    clearTimeout(this.kept);
    this.ready = true;
    this.sendState();
    const queued = this.queued;
    this.queued = [];
    for (const { method, params } of queued) this.channel?.notify(method, params as never);
  }

  private sendState(): void {
    if (!this.channel || !this.ready) return;
    const { state, url } = this.options.gateway;
    this.channel.notify('gateway/state' as ViewNoteOf<P>, { state, ...(url ? { url } : {}), restart: true } as never);
  }

  private disposeView(): void {
    for (const disposable of this.perView.splice(0)) disposable.dispose();
    this.channel = undefined;
    this.ready = false;
  }
}
