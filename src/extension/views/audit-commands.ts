/**
 * `MCPlexer: Show Audit Log` (`mcplexer.showAuditLog`): reveals the Audit view; given a filter
 * (another command, a keybinding's `args`, an extension), the view shows the log with that filter.
 * The filter is checked with the view protocol's own schema before anything is shown.
 */
import * as vscode from 'vscode';
import { auditFilterSchema, type AuditProtocol } from '../../shared/webviews/audit-protocol.js';
import { describeIssues } from '../../shared/webviews/protocol.js';
import type { ViewHost } from './view-provider.js';
import { showError } from '../notify.js';

export const SHOW_AUDIT_LOG = 'mcplexer.showAuditLog';

/**
 * Registers `mcplexer.showAuditLog(filter?)`. `filter`: `{tool_name?, status?, error_code?,
 * workspace_id?, session_id?, after?, before?}` (times RFC 3339), as `GET /api/v1/audit` takes them.
 * A filter that does not fit is refused with a message naming the field; the view is left as it was.
 */
export function registerAuditCommands(
  audit: Pick<ViewHost<AuditProtocol>, 'notify' | 'reveal'>,
  log: Pick<vscode.LogOutputChannel, 'warn'>,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SHOW_AUDIT_LOG, async (filter?: unknown) => {
      if (filter !== undefined && filter !== null) {
        const checked = auditFilterSchema.safeParse(filter);
        if (!checked.success) {
          const reason = describeIssues(checked.error, 'filter');
          log.warn(`Show Audit Log: refused a filter: ${reason}`);
          void showError(`MCPlexer: Show Audit Log: the filter does not fit (${reason}). Use the fields of GET /api/v1/audit.`);
          return;
        }
        // Queued by the host until the view listens, so a view opened by this command gets it too.
        audit.notify('audit/applyFilter', { filter: checked.data });
      }
      await audit.reveal();
    }),
  ];
}
