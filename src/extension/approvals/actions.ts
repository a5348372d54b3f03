import * as vscode from 'vscode';
import { resolveOnce, type ResolveClient } from '../../shared/webviews/host/approvals-resolve.js';
import type { ApprovalsController } from './controller.js';
import { SHOW_PENDING_COMMAND } from './status-item.js';
import { APPROVE_COMMAND, DENY_COMMAND, DETAILS_COMMAND } from './wording.js';
import { showError, showInfo } from '../notify.js';

export interface ActionDeps {
  controller: ApprovalsController;
  client: () => ResolveClient | undefined;
  log: vscode.LogOutputChannel;
}

/**
 * The notification's actions, as commands its links run with the request's id: Approve, Deny (an
 * input box asks for an optional reason; Escape denies nothing) and Details (the Approvals view
 * on that request). Only a request the gateway still holds is answered: a late click gets the 409
 * shown as "already resolved by …".
 */
export function registerApprovalActions(deps: ActionDeps): vscode.Disposable[] {
  const answer = async (id: unknown, approved: boolean) => {
    if (typeof id !== 'string' || !id) return vscode.commands.executeCommand(SHOW_PENDING_COMMAND);
    const client = deps.client();
    if (!client) return void showError('MCPlexer: the gateway is not reachable; the request cannot be answered now.');
    let resolution: string | undefined;
    if (!approved) {
      resolution = await vscode.window.showInputBox({
        title: 'Deny the tool call',
        prompt: 'Reason (optional): the calling client receives it',
        placeHolder: 'e.g. not on the production database',
      });
      if (resolution === undefined) return; // Escape: the request stays open
    }
    try {
      const outcome = await resolveOnce(client, id, { approved, ...(resolution?.trim() ? { resolution: resolution.trim() } : {}) });
      if (outcome.ok) deps.controller.apply(deps.controller.inbox.answered(id));
      else {
        deps.controller.notifications.close(id);
        void showInfo(outcome.message);
      }
    } catch (error) {
      deps.log.error(`could not answer the approval ${id}: ${(error as Error).message}`);
      void showError(`MCPlexer: could not ${approved ? 'approve' : 'deny'} the call: ${(error as Error).message}`);
    }
  };
  return [
    vscode.commands.registerCommand(APPROVE_COMMAND, (id: unknown) => answer(id, true)),
    vscode.commands.registerCommand(DENY_COMMAND, (id: unknown) => answer(id, false)),
    vscode.commands.registerCommand(DETAILS_COMMAND, (id: unknown) =>
      vscode.commands.executeCommand(SHOW_PENDING_COMMAND, typeof id === 'string' ? id : undefined),
    ),
  ];
}
