import * as vscode from 'vscode';
import type { NotificationText } from './wording.js';

/** How long a notification stays after its request ended elsewhere or by itself, showing why (ms). */
export const LINGER_MS = 4_000;

interface Open {
  close(message?: string): void;
}

/**
 * The approval notifications of one window. VS Code has no API to close a notification an
 * extension raised with `showInformationMessage` (microsoft/vscode#48960, #134777: out of scope),
 * but a `withProgress` notification closes when its task settles. So each request is a progress
 * notification whose task is a promise held here: `close()` settles it, from this window's answer or
 * from `approval.resolved` on the stream, whichever channel answered. Its actions are command links
 * in the message (`[Approve](command:…?["id"])`), which VS Code renders in notifications; a progress
 * notification has no buttons of its own, and is not cancellable here (its "Cancel" would read as
 * cancelling the call). A click that comes late still goes to the gateway, which answers 409: shown
 * as "already resolved by …".
 */
export class ApprovalNotifications implements vscode.Disposable {
  private readonly open = new Map<string, Open>();

  /** Raises the notification of request `id` (once: a second call for an open id does nothing). */
  show(id: string, text: NotificationText): void {
    if (this.open.has(id)) return;
    let entry: Open | undefined;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: text.title, cancellable: false },
      (progress) =>
        new Promise<void>((resolve) => {
          progress.report({ message: text.message });
          entry = {
            close: (message) => {
              if (this.open.get(id) === entry) this.open.delete(id);
              if (!message) return resolve();
              progress.report({ message });
              setTimeout(resolve, LINGER_MS);
            },
          };
          this.open.set(id, entry);
        }),
    );
  }

  /** Closes request `id`'s notification, at once or after showing `message` for LINGER_MS. */
  close(id: string, message?: string): void {
    this.open.get(id)?.close(message);
  }

  isOpen(id: string): boolean {
    return this.open.has(id);
  }

  dispose(): void {
    for (const entry of [...this.open.values()]) entry.close();
  }
}
