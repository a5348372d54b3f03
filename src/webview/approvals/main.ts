/**
 * The Approvals view: the pending tool calls with Approve / Deny and a reason, live from the
 * approvals stream the host relays, and the history of one status. The history status and the
 * reasons being typed survive the view being hidden (setState).
 */
import '../shared/zod-jitless.js';
import type { ApprovalRecord } from '../../shared/approval-record.js';
import type { GatewayStateNote } from '../../shared/webviews/answers.js';
import { approvalsProtocol, type HistoryStatus } from '../../shared/webviews/approvals-protocol.js';
import { RequestError, ViewChannel } from '../shared/channel.js';
import { h, icon, mount } from '../shared/dom.js';
import '../shared/elements.js';
import { markStale, offlineBanner } from '../shared/offline.js';
import { vscodeApi } from '../shared/vscode-api.js';
import '../shared/base.css';
import './approvals.css';
import { NameBook } from '../shared/names.js';
import { applyEvent, approvalRefs, pendingTiming } from './model.js';
import { renderHistory, renderPending, type CardUi } from './render.js';

interface SavedState {
  historyStatus: HistoryStatus;
  reasons: Record<string, string>;
  focusId?: string;
}

const api = vscodeApi<SavedState>();
const saved: SavedState = api.getState() ?? { historyStatus: 'approved', reasons: {} };
const channel = new ViewChannel(approvalsProtocol, api);
const app = document.getElementById('app')!;
let connection: GatewayStateNote = { state: 'attaching' };
let pending: ApprovalRecord[] | undefined;
let history: ApprovalRecord[] | undefined;
let loadError: string | undefined;
let historyError: string | undefined;
const ui = new Map<string, Omit<CardUi, 'reason'>>();
const book = new NameBook(
  () => channel.request('approvals/names', {}),
  () => render(),
  (error) => (loadError ??= `Could not read the names of servers and rules: ${errorText(error)}`),
);

const save = () => api.setState(saved);
const errorText = (error: unknown) => (error instanceof RequestError ? error.wire.message : error instanceof Error ? error.message : String(error));

async function loadPending(): Promise<void> {
  try {
    pending = await channel.request('approvals/pending', {});
    loadError = undefined;
    nameRefs(pending);
  } catch (error) {
    loadError = errorText(error);
  }
  render();
}

/** A record names an id the table lacks (a server added since, or one deleted): read the table again. */
function nameRefs(records: readonly ApprovalRecord[] | undefined): void {
  book.need((records ?? []).flatMap(approvalRefs));
}

async function loadHistory(): Promise<void> {
  try {
    history = await channel.request('approvals/history', { status: saved.historyStatus });
    historyError = undefined;
    nameRefs(history);
  } catch (error) {
    historyError = errorText(error);
  }
  render();
}

async function connect(): Promise<void> {
  try {
    // The relay's `open` reloads the pending list; the history follows once.
    await channel.request('approvals/subscribe', {});
  } catch (error) {
    loadError = errorText(error);
  }
  await Promise.all([loadPending(), loadHistory()]);
}

async function answer(id: string, approved: boolean): Promise<void> {
  const reason = (saved.reasons[id] ?? '').trim();
  ui.set(id, { busy: true });
  render();
  try {
    const outcome = await channel.request('approvals/resolve', { id, approved, ...(reason ? { resolution: reason } : {}) });
    if (outcome.ok) {
      ui.delete(id);
      delete saved.reasons[id];
      save();
      pending = pending?.filter((a) => a.id !== id);
    } else {
      ui.set(id, { message: { tone: 'muted', text: outcome.message } });
      pending = pending?.filter((a) => a.id !== id);
    }
    void loadHistory();
  } catch (error) {
    ui.set(id, { message: { tone: 'error', text: errorText(error) } });
  }
  render();
}

function render(): void {
  const now = Date.now();
  const status =
    connection.state === 'ready'
      ? pending === undefined
        ? 'Loading…'
        : `${pending.length} pending`
      : connection.state === 'attaching'
        ? 'Connecting to the gateway…'
        : 'The gateway is not reachable';
  // A re-render replaces the DOM: the reason field being typed in keeps the focus.
  const typing = (document.activeElement as HTMLElement | null)?.closest('[data-approval]')?.getAttribute('data-approval');
  const late = [...ui.entries()].filter(([id, u]) => u.message && !pending?.some((a) => a.id === id));
  mount(
    app,
    h(
      'div',
      { class: 'toolbar' },
      h('span', { class: `connection tone-${connection.state === 'error' ? 'error' : 'muted'}` }, status),
      icon('refresh', { label: 'Refresh', onClick: () => void Promise.all([loadPending(), loadHistory()]) }),
    ),
    offlineBanner(connection, () => channel.notify('gateway/restart', {})),
    loadError ? h('p', { class: 'banner tone-error', role: 'alert' }, loadError) : null,
    h('h2', {}, icon('bell-dot'), ' Pending'),
    pending && pending.length === 0 ? h('p', { class: 'muted empty' }, 'No tool call waits for approval.') : null,
    late.map(([id, u]) => h('p', { class: `card-message tone-${u.message!.tone}`, role: 'status', 'data-late': id }, u.message!.text)),
    (pending ?? []).map((approval) =>
      renderPending(approval, { reason: saved.reasons[approval.id] ?? '', ...ui.get(approval.id) }, approval.id === saved.focusId, now, book.names, {
        onReason: (id, value) => ((saved.reasons[id] = value), save()),
        onAnswer: (id, approved) => void answer(id, approved),
      }),
    ),
    renderHistory(saved.historyStatus, history, historyError, (next) => {
      saved.historyStatus = next;
      history = undefined;
      save();
      void loadHistory();
    }),
  );
  if (typing) (document.querySelector(`[data-approval="${CSS.escape(typing)}"] .reason`) as HTMLElement | null)?.focus();
  else if (saved.focusId) document.querySelector(`[data-approval="${CSS.escape(saved.focusId)}"]`)?.scrollIntoView({ block: 'nearest' });
}

// The waiting times count on (a trial: "waiting 8 s" still read so a minute later): only their text
// changes, so a reason being typed, the selection and the scroll stay as they are.
setInterval(() => {
  const now = Date.now();
  for (const approval of pending ?? []) {
    const timing = document.querySelector(`[data-approval="${CSS.escape(approval.id)}"] .timing`);
    if (timing) timing.textContent = pendingTiming(approval, now);
  }
}, 1000);

window.addEventListener('message', (event: MessageEvent) => channel.receive(event.data));
channel.on('gateway/state', (state) => {
  const wasReady = connection.state === 'ready';
  connection = state;
  markStale(app, state);
  // Shown at once: the first load may take a while, and the view must not say "Connecting" meanwhile.
  render();
  if (state.state === 'ready' && !wasReady) void connect();
});
channel.on('approvals/event', (event) => {
  pending = applyEvent(pending ?? [], event);
  nameRefs([event.approval]);
  if (event.type === 'resolved') {
    ui.delete(event.approval.id);
    delete saved.reasons[event.approval.id];
    save();
    if (event.approval.status === saved.historyStatus) void loadHistory();
  }
  render();
});
channel.on('gateway/event', (event) => {
  // A rename or a deletion: the names read before are stale.
  if (event.type === 'config.changed' || event.type === 'resync') {
    book.stale();
  }
});
channel.on('approvals/stream', ({ status }) => status === 'open' && void loadPending());
channel.on('approvals/focus', ({ id }) => {
  saved.focusId = id;
  save();
  render();
});
render();
channel.notify('view/ready', {});
