/**
 * The Approvals view (`mcplexer.approvals`) and `mcplexer.showPendingApprovals [id]`, which opens it
 * (on one request when a notification's Details gives its id). The view's live list comes from the
 * approvals stream its handlers relay (`approvals/subscribe`).
 */
import * as vscode from 'vscode';
import { approvalsProtocol, type ApprovalsProtocol } from '../../shared/webviews/approvals-protocol.js';
import { approvalsHandlers } from '../../shared/webviews/host/approvals-handlers.js';
import type { ClientSource } from '../../shared/webviews/host/client-source.js';
import type { GatewayConnection } from '../gateway-connection.js';
import { ViewHost } from './view-provider.js';

export const APPROVALS_VIEW_ID = 'mcplexer.approvals';
export const SHOW_PENDING_APPROVALS = 'mcplexer.showPendingApprovals';

export function approvalsView(
  common: { extensionUri: vscode.Uri; gateway: GatewayConnection; log: vscode.LogOutputChannel },
  source: ClientSource,
): vscode.Disposable[] {
  const onDispose = new Set<() => void>();
  const host: ViewHost<ApprovalsProtocol> = new ViewHost({
    ...common,
    viewId: APPROVALS_VIEW_ID,
    bundle: 'approvals',
    title: 'Approvals',
    protocol: approvalsProtocol,
    handlers: approvalsHandlers(source, {
      notify: (method, params) => host.notify(method, params as never),
      onDispose: (fn) => void onDispose.add(fn),
    }),
  });
  return [
    host,
    { dispose: () => onDispose.forEach((fn) => fn()) },
    vscode.window.registerWebviewViewProvider(APPROVALS_VIEW_ID, host),
    vscode.commands.registerCommand(SHOW_PENDING_APPROVALS, async (id?: unknown) => {
      await host.reveal();
      if (typeof id === 'string' && id) host.notify('approvals/focus', { id });
    }),
  ];
}
