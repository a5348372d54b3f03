import type { ApprovalRecord } from '../../approval-record.js';
import { ApiError, type RestClient } from '../../rest-client.js';
import { alreadyResolvedText } from '../approvals-wording.js';

export type ResolveClient = Pick<RestClient, 'resolveApproval' | 'getApproval'>;

/** The outcome of one answer: it counted, or the request had already ended (and how, by whom). */
export type ResolveOutcome = { ok: true; status: 'approved' | 'denied'; approval: ApprovalRecord } | { ok: false; approval: ApprovalRecord; message: string };

/**
 * Answers a pending request once (`POST /approvals/{id}/resolve`; the REST side records
 * `approver_type: dashboard`). A 409 means another channel answered first, or it timed out or was
 * cancelled: the record is fetched to say by whom, and nothing is resolved twice.
 * @throws ApiError for any other refusal (404 unknown id, 400) or when the gateway does not answer
 */
export async function resolveOnce(client: ResolveClient, id: string, body: { approved: boolean; resolution?: string }): Promise<ResolveOutcome> {
  try {
    const answer = await client.resolveApproval(id, body);
    return { ok: true, status: answer.status, approval: answer.approval as ApprovalRecord };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
    const approval = (await client.getApproval(id)) as ApprovalRecord;
    return { ok: false, approval, message: alreadyResolvedText(approval) };
  }
}
