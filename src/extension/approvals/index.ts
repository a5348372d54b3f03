/**
 * Approval notifications: a pending tool call raises a notification in the window that owns its
 * workspace (or in every window when none does), with Approve / Deny / Details; a resolution from
 * any channel closes it everywhere; the status bar counts what is pending. See README.md beside
 * this file. `registerApprovals` is the only entry.
 */
import type * as vscode from 'vscode';
import { registerApprovalActions } from './actions.js';
import { ApprovalsController, type ApprovalsDeps } from './controller.js';

export { SHOW_PENDING_COMMAND } from './status-item.js';

/** Starts following the approvals stream and registers the notifications' commands; returns what to dispose. */
export function registerApprovals(deps: ApprovalsDeps): vscode.Disposable[] {
  const controller = new ApprovalsController(deps);
  return [controller, ...registerApprovalActions({ controller, client: () => deps.gateway.client, log: deps.log })];
}
