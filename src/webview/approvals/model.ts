/**
 * The Approvals view's model (pure, no DOM): the pending list kept live from the relayed stream,
 * and the words of each card and history row.
 */
import type { ApprovalRecord } from '../../shared/approval-record.js';
import { approverLabel } from '../../shared/webviews/approvals-wording.js';
import { entityName, type EntityNames } from '../../shared/webviews/entity-names.js';
import type { EntityRef } from '../shared/names.js';
import type { HistoryStatus } from '../../shared/webviews/approvals-protocol.js';

export type ApprovalEventLike = { type: 'pending' | 'resolved'; approval: ApprovalRecord };

/** The longest argument text a card shows (characters); the arguments are already redacted. */
export const ARGUMENTS_CHARS = 4000;

/** The pending list after one stream event: a request is added once (oldest first), a resolved one leaves. */
export function applyEvent(pending: readonly ApprovalRecord[], event: ApprovalEventLike): ApprovalRecord[] {
  const rest = pending.filter((a) => a.id !== event.approval.id);
  if (event.type === 'resolved' || event.approval.status !== 'pending') return rest;
  return [...rest, event.approval].sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** "12 s", "3 min", "2 h", "4 d" between two instants (ms). */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** The arguments as indented JSON, cut to ARGUMENTS_CHARS. */
export function argumentsText(args: unknown): string {
  const text = JSON.stringify(args ?? {}, null, 2) ?? String(args);
  return text.length > ARGUMENTS_CHARS ? `${text.slice(0, ARGUMENTS_CHARS - 1)}…` : text;
}

export interface PendingCard {
  id: string;
  tool: string;
  /** "Claude Code · model gpt-x" or the session when the client gave no name. */
  client: string;
  /** The server's name (`—` for none, the id marked "(deleted)" for one gone since). */
  server: string;
  /** The rule that asked for approval, by its name or pattern; absent for none. */
  rule?: string;
  workspace: string;
  justification?: string;
  args: string;
  /** "waiting 12 s · times out in 4 min". */
  timing: string;
}

/** The entities a request names by id, for the names table (`refsToLookUp`). */
export function approvalRefs(approval: ApprovalRecord): EntityRef[] {
  return [
    ['servers', approval.downstream_server_id],
    ['rules', approval.route_rule_id],
  ];
}

/**
 * @param names the host's names table (`approvals/names`); while it has not arrived, ids show as they are
 */
export function pendingCard(approval: ApprovalRecord, now: number, names?: EntityNames): PendingCard {
  return {
    id: approval.id,
    tool: approval.tool_name,
    client: [approval.request_client_type ?? `session ${approval.request_session_id}`, approval.request_model ? `model ${approval.request_model}` : '']
      .filter(Boolean)
      .join(' · '),
    server: entityName(names, 'servers', approval.downstream_server_id),
    ...(approval.route_rule_id ? { rule: entityName(names, 'rules', approval.route_rule_id) } : {}),
    workspace: approval.workspace_name,
    ...(approval.justification ? { justification: approval.justification } : {}),
    args: argumentsText(approval.arguments),
    timing: pendingTiming(approval, now),
  };
}

/** "waiting 12 s · times out in 4 min" at `now` (ms since the epoch): the view redraws it every second. */
export function pendingTiming(approval: Pick<ApprovalRecord, 'created_at' | 'timeout_sec'>, now: number): string {
  const waited = now - Date.parse(approval.created_at);
  const left = approval.timeout_sec * 1000 - waited;
  return `waiting ${duration(waited)}${approval.timeout_sec > 0 ? ` · ${left > 0 ? `times out in ${duration(left)}` : 'timing out'}` : ''}`;
}

export interface HistoryRow {
  id: string;
  tool: string;
  client: string;
  workspace: string;
  /** "denied by the dashboard … after 8 s" / "timed out after 300 s". */
  outcome: string;
  resolution?: string;
  when: string;
}

export const STATUS_LABELS: Record<HistoryStatus, string> = { approved: 'Approved', denied: 'Denied', timeout: 'Timed out', cancelled: 'Cancelled' };

export function historyRow(approval: ApprovalRecord): HistoryRow {
  const took = approval.resolved_at ? ` after ${duration(Date.parse(approval.resolved_at) - Date.parse(approval.created_at))}` : '';
  const who = approval.status === 'approved' || approval.status === 'denied' ? ` by ${approverLabel(approval)}` : '';
  const verb = approval.status === 'timeout' ? 'timed out' : approval.status;
  return {
    id: approval.id,
    tool: approval.tool_name,
    client: approval.request_client_type ?? `session ${approval.request_session_id}`,
    workspace: approval.workspace_name,
    outcome: `${verb}${who}${took}`,
    ...(approval.resolution ? { resolution: approval.resolution } : {}),
    when: approval.resolved_at ?? approval.created_at,
  };
}
