import { GatewayError } from '../../errors.js';
import type { Decision } from '../../routing/index.js';
import type { CallRecord } from '../call-record.js';

/**
 * Step 3, the approval join point: between the route decision and the invocation. A decision with
 * `approval_required` (a rule's `policy: approve` or `approval_mode`) is refused today; the
 * approvals module (issue 17) replaces this step with one that waits for a resolution, asks the
 * person through the one client relay (`hooks.onServerRequest`: elicitation) and records
 * `approval_denied`, `approval_timeout`, `justification_required` or `cancelled` as `blocked`.
 * Its inputs are already in the record: the decision (rule, timeout), `justification`, the
 * session.
 *
 * @throws GatewayError `approval_required` when the decision asks for approval
 */
export function approve(record: CallRecord, decision: Decision): void {
  if (!decision.approval_required) return;
  throw new GatewayError(
    'approval_required',
    `"${record.name}" requires approval (${decision.reason}); approvals are not available in this version of MCPlexer, so the call was not made`,
  );
}
