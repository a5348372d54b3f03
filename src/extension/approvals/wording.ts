/**
 * The words of the approval notifications (pure). A notification's message is one line that
 * VS Code renders with its links: `[label](command:id?args)` runs a command (notifications allow
 * command links since VS Code 1.34), which is how a progress notification gets its actions.
 */
import type { ApprovalRecord } from '../../shared/approval-record.js';
import { approverLabel, OUTCOME } from '../../shared/webviews/approvals-wording.js';
import { inert } from '../inert-text.js';

/** The longest argument preview shown, in characters (the record's arguments are already redacted). */
export const PREVIEW_CHARS = 160;
const JUSTIFICATION_CHARS = 300;

export const APPROVE_COMMAND = 'mcplexer.approvals.approve';
export const DENY_COMMAND = 'mcplexer.approvals.deny';
export const DETAILS_COMMAND = 'mcplexer.approvals.details';

/** One line, at most `max` characters, ending in `…` when cut. */
export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The arguments as compact JSON, cut to PREVIEW_CHARS. Brackets and parentheses that would read as
 * a link in the notification (`](`) are split, so an argument cannot forge an action.
 */
export function argumentsPreview(args: unknown): string {
  const json = args === undefined || args === null ? '{}' : (JSON.stringify(args) ?? String(args));
  return defuse(clip(json, PREVIEW_CHARS));
}

/** Breaks `[text](target)` so no text from a client renders as a link (inert-text.ts). */
export const defuse = inert;

/**
 * A command link as VS Code's notifications render it; the arguments travel URL-encoded JSON. The
 * notification's link pattern ends a target at `)` or a space, which encodeURIComponent leaves as is
 * (with `( ! ' * ~`): those are encoded too.
 */
export function commandLink(label: string, command: string, args: readonly unknown[]): string {
  const target = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${label}](command:${command}?${target})`;
}

export interface NotificationText {
  /** The progress notification's title. */
  title: string;
  /** Its message: who asks what, the arguments, the justification, then the three actions. */
  message: string;
}

/**
 * The notification of a pending request: Approve / Deny / Details as command links carrying the
 * request's id, then client, tool, server, redacted argument preview and justification.
 * @param serverName the downstream server's name (the id when the name is not known)
 */
export function notificationText(approval: ApprovalRecord, serverName: string | undefined): NotificationText {
  const client = approval.request_client_type || 'A client';
  const server = serverName ?? approval.downstream_server_id ?? 'the gateway';
  const actions = [
    commandLink('Approve', APPROVE_COMMAND, [approval.id]),
    commandLink('Deny', DENY_COMMAND, [approval.id]),
    commandLink('Details', DETAILS_COMMAND, [approval.id]),
  ].join(' · ');
  // A toast shows one line until expanded: the actions come first, so they are never behind the "…".
  const parts = [
    `${actions} —`,
    defuse(`${client} asks to call ${approval.tool_name} on ${server} (workspace ${approval.workspace_name}).`),
    `Arguments: ${argumentsPreview(approval.arguments)}.`,
    approval.justification ? defuse(`Justification: “${clip(approval.justification, JUSTIFICATION_CHARS)}”.`) : '',
  ];
  // VS Code shows "<title>: <message>" on one line: a question mark there read "approve x?: Approve".
  return { title: `MCPlexer: ${defuse(approval.tool_name)} needs your approval`, message: parts.filter(Boolean).join(' ') };
}

/**
 * The short message a notification shows as it closes because the request ended elsewhere or by
 * itself; `undefined` closes it without one (this window's own answer).
 */
export function closingText(approval: ApprovalRecord): string {
  // The resolution is anyone's words (an agent's, the dashboard's): shown in the progress notification, which renders links.
  const reason = approval.resolution ? `: ${defuse(clip(approval.resolution, 120))}` : '';
  switch (approval.status) {
    case 'timeout':
      return `timed out after ${approval.timeout_sec} s`;
    case 'cancelled':
      return `cancelled${reason}`;
    default:
      return `${OUTCOME[approval.status]} by ${approverLabel(approval)}`;
  }
}
