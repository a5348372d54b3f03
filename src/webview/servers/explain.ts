/**
 * Why a server has no tools (or fewer) in this window, in words: the gateway's own reason from
 * `GET /visibility` (its `message`, error, hint, stderr tail, deciding rule, hidden tools), with a
 * short title and the action that helps. Pure: the renderer only lays it out.
 */
import type { ServerHealthAnswer, VisibilityServer } from '../../shared/webviews/answers.js';

export type ExplanationAction = 'enable' | 'discover' | 'restart' | 'connect';

export interface Explanation {
  reason: string;
  /** A few words: "Failed to start", "Hidden by a rule". */
  title: string;
  /** The gateway's message for this server. */
  message: string;
  /** Label/text pairs: the spawn error, the hint, the deciding rule. */
  facts: Array<{ label: string; text: string }>;
  /** The last stderr lines (failed servers). */
  stderr: string[];
  /** Tools left out (hidden by a rule, or outside the window's tool set). */
  hiddenTools: string[];
  action?: ExplanationAction;
  /** Where the explanation came from: `visibility`, or `health` when the gateway could not say. */
  source: 'visibility' | 'health';
}

const TITLES: Record<string, { title: string; action?: ExplanationAction }> = {
  failed: { title: 'Failed to start', action: 'restart' },
  not_started: { title: 'Not started yet', action: 'discover' },
  disabled: { title: 'Disabled', action: 'enable' },
  dynamic: { title: 'Dynamic discovery: reached through mcpx__search_tools' },
  needs_authorization: { title: 'Waiting for its account: sign in', action: 'connect' },
  hidden_by_rule: { title: 'Hidden by a rule' },
  no_tools: { title: 'The server lists no tools' },
  not_in_window_set: { title: 'Left out by the Copilot tool budget (this window’s tool set)' },
};

/** The explanation for one server's visibility entry; undefined when all its tools are visible. */
export function explainVisibility(entry: VisibilityServer): Explanation | undefined {
  if (entry.reason === 'visible' && entry.oauth) return accountExpired(entry, entry.oauth);
  if (entry.reason === 'visible' && entry.tools_visible >= entry.tools_total) return undefined;
  const known = TITLES[entry.reason];
  const partial = entry.reason === 'visible';
  const facts: Explanation['facts'] = [];
  // Waiting for an account: the error is the gateway's refusal to start without the token, which the message already says.
  if (entry.error && entry.reason !== 'needs_authorization') facts.push({ label: 'Error', text: entry.error });
  if (entry.hint) facts.push({ label: 'Hint', text: entry.hint });
  if (entry.rule) {
    const name = entry.rule.name ? `“${entry.rule.name}” (${entry.rule.id})` : entry.rule.id;
    facts.push({ label: 'Rule', text: `${name} in workspace ${entry.rule.workspace_id}` });
  }
  if (entry.oauth) facts.push(accountFact(entry.oauth));
  if (entry.tools_total > 0) facts.push({ label: 'Tools', text: `${entry.tools_visible} of ${entry.tools_total} visible` });
  return {
    reason: entry.reason,
    title: partial ? `${entry.tools_total - entry.tools_visible} of ${entry.tools_total} tools hidden` : (known?.title ?? entry.reason.replace(/_/g, ' ')),
    message: entry.message,
    facts,
    stderr: entry.stderr_tail ?? [],
    hiddenTools: entry.hidden_tools ?? [],
    ...(known?.action && !partial ? { action: known.action } : {}),
    source: 'visibility',
  };
}

type OAuthNeed = NonNullable<VisibilityServer['oauth']>;

const accountFact = (oauth: OAuthNeed) => ({
  label: 'Account',
  text: `auth scope “${oauth.auth_scope_name}”: ${oauth.status === 'expired' ? `expired${oauth.error ? ` (${oauth.error})` : ''}` : 'not connected'}`,
});

/** Tools listed, but the account's token expired and could not be refreshed: calls fail until it is connected again. */
function accountExpired(entry: VisibilityServer, oauth: OAuthNeed): Explanation {
  return {
    reason: 'needs_authorization',
    title: 'The account needs connecting again',
    message: `Its tools are listed, but calls are refused until the account of auth scope “${oauth.auth_scope_name}” is connected again.`,
    facts: [accountFact(oauth)],
    stderr: [],
    hiddenTools: entry.hidden_tools ?? [],
    action: 'connect',
    source: 'visibility',
  };
}

/**
 * What can be said without `GET /visibility` (an older daemon, or the call failed): the server's
 * own state from the config and `GET /health`. Never a rule: that needs the gateway's decision.
 */
export function explainFromHealth(
  server: { enabled: boolean; discovery: string; tools: unknown[] },
  health: ServerHealthAnswer | undefined,
  why: string,
): Explanation | undefined {
  const base = { facts: [] as Explanation['facts'], stderr: [] as string[], hiddenTools: [] as string[], source: 'health' as const };
  const note = `The gateway did not say which of its tools are visible here (${why}); this is the server’s own state.`;
  if (!server.enabled) return { ...base, reason: 'disabled', title: TITLES.disabled!.title, message: note, action: 'enable' };
  if (health?.state === 'failed') {
    return {
      ...base,
      reason: 'failed',
      title: TITLES.failed!.title,
      message: note,
      facts: health.last_error ? [{ label: 'Error', text: health.last_error }] : [],
      stderr: health.stderr_tail ?? [],
      action: 'restart',
    };
  }
  if (server.discovery === 'dynamic') return { ...base, reason: 'dynamic', title: TITLES.dynamic!.title, message: note };
  if (server.tools.length === 0) return { ...base, reason: 'not_started', title: TITLES.not_started!.title, message: note, action: 'discover' };
  return undefined;
}
