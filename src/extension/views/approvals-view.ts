/**
 * The Approvals view (`mcplexer.approvals`) and `mcplexer.showPendingApprovals [id]`, which opens it
 * (on one request when a notification's Details gives its id). The view's live list comes from the
 * approvals stream its handlers relay (`approvals/subscribe`, closed with the view).
 */
import * as vscode from 'vscode';
import type { ClientSource } from '../../shared/webviews/host/client-source.js';
import { VIEWS } from '../../shared/webviews/host/views.js';
import type { GatewayConnection } from '../gateway-connection.js';
import { ViewHost } from './view-provider.js';

export const APPROVALS_VIEW_ID = 'mcplexer.approvals';
export const SHOW_PENDING_APPROVALS = 'mcplexer.showPendingApprovals';

export function approvalsView(common: {
  extensionUri: vscode.Uri;
  gateway: GatewayConnection;
  log: vscode.LogOutputChannel;
  source: ClientSource;
}): vscode.Disposable[] {
  const host = new ViewHost({ ...common, ...VIEWS.approvals, viewId: APPROVALS_VIEW_ID });
  return [
    host,
    vscode.window.registerWebviewViewProvider(APPROVALS_VIEW_ID, host),
    vscode.commands.registerCommand(SHOW_PENDING_APPROVALS, async (id?: unknown) => {
      await host.reveal();
      if (typeof id === 'string' && id) host.notify('approvals/focus', { id });
    }),
  ];
}
