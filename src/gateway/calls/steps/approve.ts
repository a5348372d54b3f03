import {
  deniedText,
  JUSTIFICATION_REQUIRED_TEXT,
  RESOLUTIONS,
  timeoutText,
  type ApprovalRecord,
  type ApprovalService,
  type PendingApproval,
} from '../../approvals/index.js';
import type { Workspace } from '../../config/index.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { isFolderSet, type Decision } from '../../routing/index.js';
import type { CallRecord } from '../call-record.js';
import type { RelayHooks } from '../downstream-port.js';
import type { RuntimeConfig } from '../runtime-config.js';
import { askInClient, clientCanAnswer } from './approve-in-client.js';

/** How often a waiting call that sent a progress token hears that it is still waiting (ms). */
const PROGRESS_EVERY_MS = 10_000;

/** The refusals of this step that a tools/call answers as a tool result with `isError: true` (the original's). */
export const TOOL_RESULT_REFUSALS: ReadonlySet<string> = new Set(['justification_required', 'approval_denied', 'approval_timeout']);

/**
 * Step 3, approval (README "The steps"): runs only for a decision with `approval_required`, so a
 * call that needs none pays one boolean check in the pipeline. With
 * `approval_require_justification` a tools/call without `_justification` is refused at once. Otherwise
 * the request is stored (`record.approvalId`), put to the calling client's user when it can answer
 * an elicitation and the rule lets it, and the call waits for the first resolution from any
 * channel, with progress every 10 s if it sent a token. The client cancelling the call (or going
 * away) cancels the request: "client disconnected".
 *
 * @throws GatewayError `justification_required`, `approval_denied` ("Tool call denied by
 *   <approver>. Reason: <resolution>"), `approval_timeout` (tools/call answers these three as a
 *   tool result with `isError: true`), `cancelled` (the client went away, or "server shutdown")
 */
export async function approve(
  approvals: ApprovalService,
  config: RuntimeConfig,
  record: CallRecord,
  decision: Decision,
  hooks: RelayHooks,
  logger: Logger | undefined,
): Promise<void> {
  const { settings } = config;
  const justification = record.justification?.trim() || null;
  // Only a tools/call can carry `_justification`; a read of a resource or prompt is never refused for lacking one.
  if (settings.approval_require_justification && justification === null && record.method === 'tools/call')
    throw new GatewayError('justification_required', JUSTIFICATION_REQUIRED_TEXT);
  if (hooks.signal?.aborted) throw cancelledBy(RESOLUTIONS.disconnected);
  const rule = decision.rule;
  const workspace = callersWorkspace(config, record) ?? decision.workspace;
  const pending = await approvals.request({
    session_id: record.sessionId,
    client_type: record.clientName ?? null,
    model: record.model ?? null,
    workspace_id: workspace.id,
    workspace_name: workspace.name,
    tool_name: record.name,
    arguments: record.args ?? { [record.method === 'resources/read' ? 'uri' : 'name']: record.requested },
    justification,
    route_rule_id: rule?.id ?? null,
    downstream_server_id: decision.server?.id ?? record.server?.id ?? null,
    auth_scope_id: decision.auth_scope_id ?? null,
    timeout_sec: decision.approval_timeout_sec ?? settings.approval_timeout_sec,
    channels: rule?.approval_channels,
  });
  record.approvalId = pending.record.id;
  const final = await waitFor(approvals, pending, hooks, logger, () => {
    if (settings.approval_via_client && clientCanAnswer(hooks, rule?.approval_channels))
      askInClient(approvals, pending, decision.server?.name ?? record.server?.name, record.sessionId, hooks, logger);
  });
  switch (final.status) {
    case 'approved':
      return;
    case 'denied':
      throw new GatewayError('approval_denied', deniedText(final));
    case 'timeout':
      throw new GatewayError('approval_timeout', timeoutText(final));
    default:
      throw cancelledBy(final.resolution ?? RESOLUTIONS.disconnected);
  }
}

/** The wait: the client's cancel cancels the request, progress while it lasts, the channels asked once it is registered. */
async function waitFor(
  approvals: ApprovalService,
  pending: PendingApproval,
  hooks: RelayHooks,
  logger: Logger | undefined,
  ask: () => void,
): Promise<ApprovalRecord> {
  const { id } = pending.record;
  const onAbort = () => {
    approvals.cancel(id, RESOLUTIONS.disconnected).catch((error: unknown) => {
      logger?.error('approval could not be cancelled', { id, reason: error instanceof Error ? error.message : String(error) });
    });
  };
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  if (hooks.signal?.aborted) onAbort();
  const progress = hooks.onProgress;
  const startedAt = Date.now();
  const say = () => progress?.({ progress: Math.floor((Date.now() - startedAt) / 1000), message: `waiting for approval ${id}` });
  say();
  const timer = progress ? setInterval(say, PROGRESS_EVERY_MS) : undefined;
  try {
    ask();
    return await pending.outcome;
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    if (timer) clearInterval(timer);
  }
}

function cancelledBy(resolution: string): GatewayError {
  return new GatewayError('cancelled', `the call was cancelled while waiting for approval: ${resolution}`);
}

/**
 * The request belongs where the call was made: the most specific workspace of the client's
 * directory, not the deciding rule's (often a parent or `global`), so the editor raises it in the
 * window holding that folder (issue 18). A folder set (multi-root) is decided by its strictest folder,
 * whose workspace the decision already names; without a directory the decision's stands too.
 */
function callersWorkspace(config: RuntimeConfig, record: CallRecord): Workspace | undefined {
  const target = record.target;
  if (target === undefined || isFolderSet(target)) return undefined;
  const chain = typeof target === 'string' ? config.router.chainFor(target) : target;
  return chain.links[0]?.workspace;
}
