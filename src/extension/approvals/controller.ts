import * as vscode from 'vscode';
import type { ApprovalRecord } from '../../shared/approval-record.js';
import type { RestClient } from '../../shared/rest-client.js';
import type { GatewayConnection } from '../gateway-connection.js';
import { ApprovalInbox, type InboxEffect } from './inbox.js';
import { ApprovalNotifications } from './notifications.js';
import { deliveryFor, notifySetting, ownsRequest, type Delivery, type WindowFolders } from './routing.js';
import { ApprovalsStatusItem } from './status-item.js';
import { notificationText } from './wording.js';

/** The REST methods the notifications use. */
export type ApprovalsClient = Pick<
  RestClient,
  'approvalStream' | 'listApprovals' | 'getApproval' | 'resolveApproval' | 'listWindows' | 'listWorkspaces' | 'listDownstreams'
>;

export interface ApprovalsDeps {
  gateway: Pick<GatewayConnection, 'state' | 'folders' | 'onDidChangeState' | 'onEvent'> & { readonly client: ApprovalsClient | undefined };
  /** This window's id, as its lease registers it (`POST /windows`). */
  windowId: string;
  log: vscode.LogOutputChannel;
}

type Stream = ReturnType<ApprovalsClient['approvalStream']>;

/**
 * Follows the approvals stream while the gateway is ready: on `approval.requested` decides whether
 * this window raises the request (routing.ts: the deepest folder's window, or every window when none
 * owns its workspace; then `mcplexer.approvals.notify`), on `approval.resolved` closes its
 * notification. Events are handled one at a time in stream order: ownership takes REST calls, and a
 * request's resolution must not overtake it. After each (re)connection the pending list is read
 * again (the stream does not replay), so nothing is missed or left open.
 */
export class ApprovalsController implements vscode.Disposable {
  readonly inbox = new ApprovalInbox();
  readonly notifications = new ApprovalNotifications();
  private readonly status = new ApprovalsStatusItem();
  private readonly subscriptions: vscode.Disposable[] = [];
  private stream: Stream | undefined;
  private queue: Promise<void> = Promise.resolve();
  private noWindows = false;

  constructor(private readonly deps: ApprovalsDeps) {
    this.subscriptions.push(
      deps.gateway.onDidChangeState((state) => (state === 'ready' ? this.connect() : this.disconnect())),
      vscode.window.onDidChangeWindowState((state) => state.focused && this.enqueue(async () => this.apply(this.inbox.focused()))),
      // A window that owned requests closed: they may be this window's now (routing.ts decides again).
      deps.gateway.onEvent((event) => event.type === 'windows.changed' && this.enqueue(() => this.reroute())),
    );
    if (deps.gateway.state === 'ready') this.connect();
  }

  /** Resolves once every event received so far is handled (tests, and the commands after an answer). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Applies what the inbox decided: raise or close notifications, then recount the status bar. */
  apply(effects: readonly InboxEffect[]): void {
    for (const effect of effects) {
      if (effect.kind === 'close') this.notifications.close(effect.id, effect.message);
      else void this.raise(effect.approval);
    }
    this.status.update(this.inbox.count, this.inbox.waiting);
  }

  private connect(): void {
    this.disconnect();
    const client = this.deps.gateway.client;
    if (!client) return;
    const stream = client.approvalStream();
    this.stream = stream;
    stream.onEvent((event) =>
      this.enqueue(async () => {
        if (event.type === 'pending')
          this.apply(this.inbox.requested(event.approval as ApprovalRecord, await this.deliveryOf(client, event.approval as ApprovalRecord)));
        else this.apply(this.inbox.resolved(event.approval as ApprovalRecord));
      }),
    );
    stream.onStatus((status) => status === 'open' && this.enqueue(() => this.reseed(client)));
    stream.onError((error) => this.deps.log.warn(`approvals stream: ${error.message}`));
  }

  private disconnect(): void {
    this.stream?.close();
    this.stream = undefined;
    this.enqueue(async () => this.apply(this.inbox.clear()));
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: Error) => this.deps.log.error(`approval notifications: ${error.message}`));
  }

  private async reseed(client: ApprovalsClient): Promise<void> {
    const pending = (await client.listApprovals({})) as ApprovalRecord[];
    const deliveries = new Map<string, Delivery>();
    for (const approval of pending) deliveries.set(approval.id, await this.deliveryOf(client, approval));
    this.apply(this.inbox.reseed(pending, (a) => deliveries.get(a.id) ?? 'count'));
  }

  private async reroute(): Promise<void> {
    const client = this.deps.gateway.client;
    if (!client || this.inbox.count === 0) return;
    const deliveries = new Map<string, Delivery>();
    for (const approval of this.inbox.pending()) deliveries.set(approval.id, await this.deliveryOf(client, approval));
    this.apply(this.inbox.rerouted((a) => deliveries.get(a.id) ?? 'count'));
  }

  private async deliveryOf(client: ApprovalsClient, approval: ApprovalRecord): Promise<Delivery> {
    const setting = notifySetting(vscode.workspace.getConfiguration('mcplexer').get('approvals.notify', 'always'));
    if (setting === 'never') return 'count';
    const self: WindowFolders = { window_id: this.deps.windowId, folders: this.deps.gateway.folders };
    const [windows, workspaces] = await Promise.all([this.windows(client), client.listWorkspaces()]);
    const owned = ownsRequest({ self, windows, workspaces, workspaceId: approval.workspace_id });
    return deliveryFor(owned, setting, vscode.window.state.focused);
  }

  /** `GET /windows`; a daemon without it (404) counts as one where no window owns anything. */
  private async windows(client: ApprovalsClient): Promise<WindowFolders[]> {
    if (this.noWindows) return [];
    try {
      return await client.listWindows();
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      this.noWindows = true;
      this.deps.log.warn('this gateway lists no windows (GET /api/v1/windows answered 404): every approval is raised in every window');
      return [];
    }
  }

  private async raise(approval: ApprovalRecord): Promise<void> {
    let serverName: string | undefined;
    try {
      const servers = (await this.deps.gateway.client?.listDownstreams()) ?? [];
      serverName = servers.find((s) => s.id === approval.downstream_server_id)?.name;
    } catch (error) {
      this.deps.log.warn(`could not read the server's name for an approval notification: ${(error as Error).message}`);
    }
    // Resolved while the name was read: nothing to raise.
    if (this.inbox.has(approval.id)) this.notifications.show(approval.id, notificationText(approval, serverName));
  }

  dispose(): void {
    this.stream?.close();
    this.stream = undefined;
    for (const s of this.subscriptions) s.dispose();
    this.notifications.dispose();
    this.status.dispose();
  }
}
