/**
 * The Audit view: the audit trail newest first, live, filtered, paged, with a record's detail.
 * The list, the filter and the last id held survive the view being hidden (setState); a view that
 * comes back resubscribes after that id, so the gateway replays what it missed and nothing shows
 * twice (list-model.ts). It talks only through the channel, so it runs the same in a VS Code
 * webview and in the browser page the daemon serves.
 */
import '../shared/zod-jitless.js';
import type { GatewayStateNote } from '../../shared/webviews/answers.js';
import { auditProtocol, type AuditFilter } from '../../shared/webviews/audit-protocol.js';
import type { AuditRecord } from '../../shared/schemas/audit.js';
import type { WorkspaceAnswer } from '../../shared/webviews/answers.js';
import { RequestError, ViewChannel } from '../shared/channel.js';
import { h, icon, mount } from '../shared/dom.js';
import '../shared/elements.js';
import { button } from '../shared/form.js';
import { markStale, offlineBanner } from '../shared/offline.js';
import { vscodeApi } from '../shared/vscode-api.js';
import '../shared/base.css';
import './audit.css';
import { activeFilters, emptyFilter, filterToQuery, formFromQuery, type FilterField, type FilterForm, type Range } from './filter-model.js';
import { fromFirstPage, hasOlder, nextOffset, withLive, withOlderPage, type AuditList } from './list-model.js';
import { RecordListDom } from './list-dom.js';
import { renderFilters } from './render.js';
import { NameBook } from '../shared/names.js';
import { auditRefs } from './record-model.js';

/** Records per page of `GET /audit`. */
const PAGE = 50;

interface SavedState {
  form: FilterForm;
  /** The filter in effect (relative times resolved when it was applied). */
  applied: AuditFilter;
  list?: AuditList<AuditRecord>;
  selected?: string;
  filtersOpen: boolean;
}

const api = vscodeApi<SavedState>();
const saved: SavedState = api.getState() ?? { form: emptyFilter(), applied: {}, filtersOpen: false };
const channel = new ViewChannel(auditProtocol, api);
let connection: GatewayStateNote = { state: 'attaching' };
let stream: { status: 'open' | 'reconnecting' | 'closed'; error?: string } = { status: 'closed' };
let subscription = 0;
let loadError: string | undefined;
let formErrors: Partial<Record<FilterField, string>> = {};
let workspaces: WorkspaceAnswer[] = [];
let loadingOlder = false;
const book = new NameBook(
  () => channel.request('audit/names', {}),
  () => renderList(),
  (error) => {
    loadError = `Could not read the names of servers and rules: ${errorText(error)}`;
    renderBanner();
  },
);

const errorText = (error: unknown) => (error instanceof RequestError ? error.wire.message : error instanceof Error ? error.message : String(error));

const app = document.getElementById('app')!;
const toolbarEl = h('div', { class: 'toolbar' });
const filtersEl = h('div', { class: 'filters-slot' });
const bannerEl = h('div', { class: 'banner-slot' });
const listDom = new RecordListDom({
  toggle: (id) => {
    saved.selected = saved.selected === id ? undefined : id;
    nameSelected();
    renderList();
    api.setState(saved);
  },
  filterSession: (session) => {
    saved.form = { ...emptyFilter(), session_id: session };
    void apply();
  },
});
const footerEl = h('div', { class: 'list-footer' });
mount(app, toolbarEl, filtersEl, bannerEl, listDom.element, footerEl);

/** Opens the stream for the current list: records above its newest id. */
async function subscribe(): Promise<void> {
  if (!saved.list) return;
  const mine = ++subscription;
  stream = { status: 'reconnecting' };
  try {
    await channel.request('audit/subscribe', { subscription: mine, filter: saved.applied, lastEventId: saved.list.lastEventId });
  } catch (error) {
    if (mine === subscription) stream = { status: 'closed', error: errorText(error) };
  }
  renderToolbar();
}

/** The first page of the applied filter, then the stream from its newest id. */
async function loadFirst(): Promise<void> {
  const mine = ++subscription; // records of the previous filter are dropped from now on
  try {
    const page = await channel.request('audit/list', { filter: saved.applied, limit: PAGE, offset: 0 });
    if (mine !== subscription) return;
    saved.list = fromFirstPage(page);
    loadError = undefined;
    api.setState(saved);
    await subscribe();
  } catch (error) {
    loadError = errorText(error);
  }
  renderAll();
  nameSelected();
}

async function loadOlder(): Promise<void> {
  const list = saved.list;
  if (!list || loadingOlder) return;
  loadingOlder = true;
  renderFooter();
  try {
    const page = await channel.request('audit/list', { filter: saved.applied, limit: PAGE, offset: nextOffset(list) });
    // Live records may have arrived meanwhile: they are on top, the older page goes below (by id).
    if (saved.list) saved.list = withOlderPage(saved.list, page);
    loadError = undefined;
    api.setState(saved);
  } catch (error) {
    loadError = errorText(error);
  }
  loadingOlder = false;
  renderAll();
}

async function apply(): Promise<void> {
  const checked = filterToQuery(saved.form, Date.now());
  if (!checked.ok) {
    formErrors = checked.errors;
    saved.filtersOpen = true;
    return renderFilterPanel();
  }
  formErrors = {};
  saved.applied = checked.query;
  saved.selected = undefined;
  saved.list = undefined;
  api.setState(saved);
  renderAll();
  await loadFirst();
}

async function loadWorkspaces(): Promise<void> {
  try {
    workspaces = await channel.request('audit/workspaces', {});
    renderFilterPanel();
  } catch (error) {
    loadError = errorText(error);
    renderBanner();
  }
}

/** Only an open detail names servers and rules: its ids are looked up when the table lacks them. */
function nameSelected(): void {
  const record = saved.selected ? saved.list?.records.find((r) => r.id === saved.selected) : undefined;
  if (record) book.need(auditRefs(record));
}

function streamText(): string {
  if (connection.state === 'attaching') return 'Connecting to the gateway…';
  if (connection.state === 'error') return 'The gateway is not reachable';
  const count = saved.list ? `${saved.list.records.length} of ${saved.list.total}` : 'Loading…';
  if (stream.status === 'open') return `Live · ${count}`;
  if (stream.status === 'reconnecting') return `Reconnecting… · ${count}`;
  return count;
}

function renderToolbar(): void {
  const filters = activeFilters(saved.form);
  mount(
    toolbarEl,
    h(
      'span',
      { class: `connection live-${stream.status} tone-${connection.state === 'error' ? 'error' : 'muted'}`, title: stream.error ?? '' },
      stream.status === 'open' && connection.state === 'ready' ? icon('circle-filled', { label: 'live' }) : null,
      streamText(),
    ),
    filters > 0 ? h('vscode-badge', { class: 'filter-count', title: `${filters} filters` }, String(filters)) : null,
    icon('filter', {
      label: saved.filtersOpen ? 'Hide filters' : 'Show filters',
      onClick: () => ((saved.filtersOpen = !saved.filtersOpen), api.setState(saved), renderFilterPanel()),
    }),
    icon('refresh', { label: 'Reload', onClick: () => void apply() }),
  );
}

function renderFilterPanel(): void {
  renderToolbar();
  if (!saved.filtersOpen) return mount(filtersEl);
  mount(
    filtersEl,
    renderFilters(saved.form, formErrors, workspaces, {
      onValue: (field, value) => {
        if (field === 'range') {
          saved.form.range = value as Range;
          renderFilterPanel();
        } else saved.form[field] = value;
        api.setState(saved);
      },
      apply: () => void apply(),
      clear: () => {
        saved.form = emptyFilter();
        void apply();
      },
    }),
  );
}

function renderBanner(): void {
  mount(
    bannerEl,
    offlineBanner(connection, () => channel.notify('gateway/restart', {})),
    loadError ? h('p', { class: 'banner tone-error', role: 'alert' }, loadError) : null,
  );
}

function renderList(): void {
  const records = saved.list?.records ?? [];
  listDom.update(records, saved.selected, book.names);
}

function renderFooter(): void {
  const list = saved.list;
  mount(
    footerEl,
    list && list.records.length === 0
      ? h('p', { class: 'muted empty' }, activeFilters(saved.form) > 0 ? 'No record matches these filters.' : 'No calls yet.')
      : null,
    list && hasOlder(list)
      ? button(loadingOlder ? 'Loading…' : 'Load older', () => void loadOlder(), { secondary: true, disabled: loadingOlder, icon: 'fold-down' })
      : null,
  );
}

function renderAll(): void {
  renderFilterPanel();
  renderBanner();
  renderList();
  renderFooter();
}

// Live records: merged at once, drawn at most every 100 ms (a burst is one redraw), saved with it.
let drawQueued = false;
function scheduleDraw(): void {
  if (drawQueued) return;
  drawQueued = true;
  setTimeout(() => {
    drawQueued = false;
    renderToolbar();
    renderList();
    renderFooter();
    api.setState(saved);
  }, 100);
}

window.addEventListener('message', (event: MessageEvent) => channel.receive(event.data));
channel.on('gateway/state', (state) => {
  const wasReady = connection.state === 'ready';
  connection = state;
  markStale(app, state);
  renderBanner();
  if (state.state === 'ready' && !wasReady) {
    void loadWorkspaces();
    // A list held from before (a re-shown view, a daemon back) resumes after its newest id.
    if (saved.list) void subscribe();
    else void loadFirst();
  } else if (state.state !== 'ready') stream = { status: 'closed' };
  renderToolbar();
});
channel.on('gateway/event', (event) => {
  if (event.type === 'config.changed') {
    void loadWorkspaces();
    // A rename or a deletion: the names read before are stale.
    book.stale();
  }
});
channel.on('audit/records', ({ subscription: from, records }) => {
  if (from !== subscription || !saved.list) return;
  let list = saved.list;
  for (const record of records) list = withLive(list, record);
  saved.list = list;
  scheduleDraw();
});
channel.on('audit/stream', ({ subscription: from, status, error }) => {
  if (from !== subscription) return;
  stream = { status, ...(error ? { error } : {}) };
  renderToolbar();
});
channel.on('audit/applyFilter', ({ filter }) => {
  saved.form = formFromQuery(filter);
  saved.filtersOpen = true;
  void apply();
});
renderAll();
channel.notify('view/ready', {});
