import { GatewayError } from '../errors.js';

/**
 * The first MCP revision without JSON-RPC batching: its changelog says "Remove support for
 * JSON-RPC batching" (2025-06-18), and no later revision brought it back. 2024-11-05 and
 * 2025-03-26 allow batches, and sessions that negotiated them keep them.
 */
export const BATCHES_REMOVED_IN = '2025-06-18';

/**
 * The refusal of a batch (a JSON array body) on a session whose negotiated revision has no
 * batching, or undefined when the body is one message or the revision allows batches. Revisions
 * are dates (YYYY-MM-DD), so they compare as strings. A session without a negotiated revision
 * (none exists before its initialize is answered) is left to the checks that follow.
 *
 * `bad_request`: HTTP 400 with InvalidRequest, as the transport refuses a message MCP does not
 * allow; nothing in the batch runs. Checked after `check-message.ts` (a batch with a malformed
 * member is refused naming that member, as on every revision) and before the lean paths and the
 * SDK's transport alike, so every path of a session answers a batch the same way.
 */
export function batchRefusal(body: unknown, negotiated: string | undefined): GatewayError | undefined {
  if (!Array.isArray(body) || negotiated === undefined || negotiated < BATCHES_REMOVED_IN) return undefined;
  const message = `JSON-RPC batches are not supported in MCP protocol version ${negotiated}, which this session negotiated (batching was removed in ${BATCHES_REMOVED_IN}); nothing in the batch was processed: send one message per request`;
  return new GatewayError('bad_request', message, { details: [{ path: 'message', message: `a batch of ${body.length}, on protocol version ${negotiated}` }] });
}
