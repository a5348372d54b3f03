/**
 * The Approvals view's DOM: a card per pending request (who asks what, the redacted arguments, the
 * justification, a reason field and Approve / Deny), and the history of one status. Text only, never
 * markup: arguments and justifications come from clients.
 */
import type { ApprovalRecord } from '../../shared/approval-record.js';
import type { EntityNames } from '../../shared/webviews/entity-names.js';
import { HISTORY_STATUSES, type HistoryStatus } from '../../shared/webviews/approvals-protocol.js';
import { h, icon } from '../shared/dom.js';
import { historyRow, pendingCard, STATUS_LABELS } from './model.js';

/** What a card shows besides its request: the typed reason, an answer in flight, the last message. */
export interface CardUi {
  reason: string;
  busy?: boolean;
  message?: { tone: 'error' | 'muted'; text: string };
}

export interface CardActions {
  onReason(id: string, value: string): void;
  onAnswer(id: string, approved: boolean): void;
}

function fact(label: string, value: string, className = ''): HTMLElement {
  return h('div', { class: `fact ${className}` }, h('span', { class: 'fact-label muted' }, label), ' ', h('span', { class: 'fact-value' }, value));
}

export function renderPending(
  approval: ApprovalRecord,
  ui: CardUi,
  focused: boolean,
  now: number,
  names: EntityNames | undefined,
  actions: CardActions,
): HTMLElement {
  const card = pendingCard(approval, now, names);
  return h(
    'section',
    { class: `card pending${focused ? ' focused' : ''}`, 'data-approval': card.id, 'aria-label': `Approval for ${card.tool}` },
    h('h3', {}, icon('shield'), ' ', h('span', { class: 'tool mono' }, card.tool)),
    fact('Client', card.client, 'client'),
    fact('Server', card.server, 'server'),
    card.rule ? fact('Rule', card.rule, 'rule') : null,
    fact('Workspace', card.workspace, 'workspace'),
    card.justification ? fact('Justification', card.justification, 'justification') : null,
    h('pre', { class: 'arguments', 'aria-label': 'Arguments (redacted)' }, card.args),
    h('p', { class: 'timing muted' }, card.timing),
    h('vscode-textfield', {
      class: 'reason',
      placeholder: 'Reason (optional; sent to the client on Deny)',
      value: ui.reason,
      disabled: ui.busy,
      oninput: (event: Event) => actions.onReason(card.id, (event.target as HTMLInputElement).value),
    }),
    h(
      'div',
      { class: 'buttons' },
      h('vscode-button', { class: 'approve', disabled: ui.busy, onclick: () => actions.onAnswer(card.id, true) }, 'Approve'),
      h('vscode-button', { class: 'deny', secondary: true, disabled: ui.busy, onclick: () => actions.onAnswer(card.id, false) }, 'Deny'),
      ui.busy ? h('vscode-progress-ring', { class: 'busy' }) : null,
    ),
    ui.message ? h('p', { class: `card-message tone-${ui.message.tone}`, role: 'status' }, ui.message.text) : null,
  );
}

export function renderHistory(
  status: HistoryStatus,
  records: readonly ApprovalRecord[] | undefined,
  error: string | undefined,
  onStatus: (status: HistoryStatus) => void,
): HTMLElement {
  const select = h(
    'vscode-single-select',
    { id: 'history-status', 'aria-label': 'History status', onchange: (event: Event) => onStatus((event.target as HTMLSelectElement).value as HistoryStatus) },
    HISTORY_STATUSES.map((s) => h('vscode-option', { value: s, selected: s === status }, STATUS_LABELS[s])),
  );
  (select as HTMLSelectElement).value = status;
  const rows = (records ?? []).map(historyRow);
  return h(
    'section',
    { class: 'history', 'aria-label': 'History' },
    h('h2', {}, icon('history'), ' History'),
    select,
    error ? h('p', { class: 'banner tone-error', role: 'alert' }, error) : null,
    records && rows.length === 0 ? h('p', { class: 'muted empty' }, `No ${STATUS_LABELS[status].toLowerCase()} requests.`) : null,
    h(
      'ul',
      { class: 'history-list' },
      rows.map((row) =>
        h(
          'li',
          { class: `history-row status-${status}`, 'data-approval': row.id },
          h('div', {}, h('span', { class: 'tool mono' }, row.tool), ' ', h('span', { class: 'muted' }, `· ${row.client} · ${row.workspace}`)),
          h('div', { class: 'outcome' }, row.outcome, h('span', { class: 'muted' }, ` · ${new Date(row.when).toLocaleString()}`)),
          row.resolution ? h('div', { class: 'resolution muted' }, `“${row.resolution}”`) : null,
        ),
      ),
    ),
  );
}
