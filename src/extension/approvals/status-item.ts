import * as vscode from 'vscode';

export const SHOW_PENDING_COMMAND = 'mcplexer.showPendingApprovals';

/**
 * The status bar's pending-approval count (all pending requests of the daemon, so every window
 * sees what waits); hidden at zero. It turns to the warning colour while some of them are this
 * window's and not raised (`whenFocused` or `never`). A click opens the Approvals view.
 */
export class ApprovalsStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcplexer.approvals', vscode.StatusBarAlignment.Left, 49);

  constructor() {
    this.item.name = 'MCPlexer Approvals';
    this.item.command = SHOW_PENDING_COMMAND;
  }

  update(pending: number, waiting: number): void {
    if (pending === 0) return void this.item.hide();
    this.item.text = `$(bell-dot) ${pending} ${pending === 1 ? 'approval' : 'approvals'}`;
    this.item.tooltip = `MCPlexer: ${pending} tool ${pending === 1 ? 'call waits' : 'calls wait'} for approval${
      waiting ? ` (${waiting} of this window's not shown as a notification)` : ''
    }. Click to open the Approvals view.`;
    this.item.backgroundColor = waiting ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
