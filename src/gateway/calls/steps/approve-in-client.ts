import { approvalElicitation, readElicitationAnswer, type ApprovalChannel, type ApprovalService, type PendingApproval } from '../../approvals/index.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { capabilitiesOf, type RelayHooks } from '../downstream-port.js';

/**
 * Whether the calling client can be asked: it declared form elicitation (its capability key, as
 * the pool keys instances by it), the call has a relay for server→client requests, and the
 * rule's `approval_channels` (if any) include `client`.
 */
export function clientCanAnswer(hooks: RelayHooks, channels: readonly ApprovalChannel[] | undefined): boolean {
  if (
    !hooks.onServerRequest ||
    !capabilitiesOf(hooks.clientCapabilities ?? '')
      .split(',')
      .includes('elicitation.form')
  )
    return false;
  return channels === undefined || channels.includes('client');
}

/**
 * Puts a pending request to the calling client's user as `elicitation/create`, through the call's
 * one client relay (related to the waiting tools/call, so it reaches the client on that call's
 * stream). The user's answer resolves it as `client_user`, unless another channel answered first;
 * whichever way it ends, the elicitation is withdrawn (aborting the relay's request sends the
 * client `notifications/cancelled`). Never throws: a client that cannot answer leaves the request
 * to the other channels and its timeout.
 */
export function askInClient(
  approvals: ApprovalService,
  pending: PendingApproval,
  serverName: string | undefined,
  sessionId: string,
  hooks: RelayHooks,
  logger: Logger | undefined,
): void {
  const { id } = pending.record;
  const withdraw = new AbortController();
  void pending.outcome.then(() => withdraw.abort('the approval was resolved'));
  const answered = hooks.onServerRequest!({ method: 'elicitation/create', params: approvalElicitation(pending.record, serverName), signal: withdraw.signal });
  answered
    .then(async (answer) => {
      const resolution = readElicitationAnswer(answer);
      if (!resolution) {
        // A dismissed form says nothing; an accepted one without a usable decision is the client's
        // mistake, said where a person can find it (the request waits for the other channels).
        if (answer.action === 'accept')
          logger?.warn('the client accepted an approval form without a decision of "approve" or "deny"; the request waits for another answer', {
            id,
            content: JSON.stringify(answer.content ?? null).slice(0, 200),
          });
        return;
      }
      await approvals.resolve(id, { ...resolution, approver_type: 'client_user', approver_session_id: sessionId });
    })
    .catch((error: unknown) => {
      // Withdrawn, or another channel won: nothing to say. Anything else is the client's failure, logged.
      if (withdraw.signal.aborted || (error instanceof GatewayError && error.code === 'conflict')) return;
      logger?.warn('the client could not answer an approval request', { id, reason: error instanceof Error ? error.message : String(error) });
    });
}
