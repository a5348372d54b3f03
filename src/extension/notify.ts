import * as vscode from 'vscode';
import { inert } from './inert-text.js';

/**
 * The extension's notifications, with their text made inert. VS Code renders `[label](target)`
 * in a notification as a link, and a `command:` target runs that command with the link's
 * arguments when clicked. Much of what the extension shows comes from elsewhere: a downstream's
 * error message, an OAuth provider's `error_description`, a client's tool name. A security trial
 * had a server answer `initialize` with `… [Open the setup guide](command:workbench.action.terminal.sendSequence?…)`,
 * and "Discover Tools" showed it as a link that typed into the terminal. Every notification goes
 * through here (test/unit/architecture.test.ts checks it), so no text is trusted by accident. The
 * approval notification's own Approve / Deny links are built apart (`approvals/wording.ts`).
 */

export { inert };

type Show = typeof vscode.window.showErrorMessage;

/** `vscode.window.showErrorMessage` with the message (and a modal's `detail`) made inert. */
export const showError = wrap((message, ...rest) => vscode.window.showErrorMessage(message, ...(rest as [])));
/** `vscode.window.showWarningMessage`, made inert as `showError`. */
export const showWarning = wrap((message, ...rest) => vscode.window.showWarningMessage(message, ...(rest as [])));
/** `vscode.window.showInformationMessage`, made inert as `showError`. */
export const showInfo = wrap((message, ...rest) => vscode.window.showInformationMessage(message, ...(rest as [])));

function wrap(show: (message: string, ...rest: unknown[]) => Thenable<unknown>): Show {
  return ((message: string, ...rest: unknown[]) => {
    const [first, ...items] = rest;
    const options = isOptions(first) ? { ...first, ...(first.detail === undefined ? {} : { detail: inert(first.detail) }) } : first;
    return show(inert(message), ...(first === undefined ? [] : [options]), ...items);
  }) as Show;
}

function isOptions(value: unknown): value is vscode.MessageOptions {
  return typeof value === 'object' && value !== null && !('title' in value);
}
