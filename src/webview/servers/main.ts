/**
 * The Servers view: loads the snapshot through the host, keeps live state from relayed daemon
 * events, and runs the actions. What must survive the view being hidden (expanded rows, a half-typed
 * form, the last snapshot) is kept with setState.
 */
import '../shared/zod-jitless.js';
import { serversProtocol, type ServersSnapshot } from '../../shared/webviews/servers-protocol.js';
import type { GatewayStateNote } from '../../shared/webviews/answers.js';
import { RequestError, ViewChannel } from '../shared/channel.js';
import { h, icon, mount } from '../shared/dom.js';
import '../shared/elements.js';
import { submitForm } from '../shared/form-submit.js';
import { vscodeApi } from '../shared/vscode-api.js';
import { markStale, offlineBanner } from '../shared/offline.js';
import '../shared/base.css';
import { emptyServerForm, SERVER_FORM_FIELDS, serverFormToBody, serverToForm, typeName } from './form-model.js';
import { renderServerForm, type ServerFormState } from './form.js';
import { cascadeWords, deleteConflictText } from './delete-conflict.js';
import { buildServersModel, type LiveStates } from './model.js';
import { renderRow, type RowAction, type RowUi } from './render.js';

interface SavedState {
  snapshot?: ServersSnapshot;
  expanded: string[];
  toolsOpen: string[];
  form?: ServerFormState;
}

const api = vscodeApi<SavedState>();
const saved: SavedState = api.getState() ?? { expanded: [], toolsOpen: [] };
const channel = new ViewChannel(serversProtocol, api);
const app = document.getElementById('app')!;
let connection: GatewayStateNote = { state: 'attaching' };
let live: LiveStates = {};
let loadError: string | undefined;
let loading = false;
const rowUi = new Map<string, Omit<RowUi, 'expanded' | 'toolsOpen'>>();

const save = () => api.setState(saved);
const errorText = (error: unknown) => (error instanceof RequestError ? error.wire.message : error instanceof Error ? error.message : String(error));

async function refresh(): Promise<void> {
  loading = true;
  render();
  try {
    saved.snapshot = await channel.request('servers/snapshot', {});
    live = {};
    loadError = undefined;
    save();
  } catch (error) {
    loadError = errorText(error);
  } finally {
    loading = false;
    render();
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
function refreshSoon(): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), 250);
}

function setRow(id: string, patch: Omit<RowUi, 'expanded' | 'toolsOpen'> | undefined): void {
  if (patch) rowUi.set(id, patch);
  else rowUi.delete(id);
  render();
}

async function runAction(id: string, action: RowAction): Promise<void> {
  const server = saved.snapshot?.downstreams.find((s) => s.id === id);
  if (!server) return;
  const attempt = async (busy: string, work: () => Promise<string | undefined>) => {
    setRow(id, { ...rowUi.get(id), busy, message: undefined });
    try {
      const done = await work();
      setRow(id, done ? { message: { tone: 'info', text: done } } : undefined);
      await refresh();
    } catch (error) {
      const conflict = error instanceof RequestError && error.wire.status === 409 && action === 'confirmDelete';
      if (!conflict) return setRow(id, { message: { tone: 'error', text: errorText(error) } });
      // Named, not by id: the rules that use it as people name them (a failed read counts them).
      const names = await channel.request('servers/names', {}).catch(() => undefined);
      setRow(id, { deleting: { conflict: deleteConflictText(server.name, error.wire.details, names), ...cascadeWords(error.wire.details) } });
    }
  };
  switch (action) {
    case 'edit':
      saved.form = { mode: 'update', id, values: serverToForm(server), initial: serverToForm(server) };
      save();
      return render();
    case 'delete':
      return setRow(id, { deleting: {} });
    case 'cancelDelete':
      return setRow(id, undefined);
    case 'toggle':
      return attempt(server.enabled ? 'disabling' : 'enabling', async () => {
        await channel.request('servers/update', { id, body: { enabled: !server.enabled } });
        return undefined;
      });
    case 'discover':
      return attempt('discovering', async () => `Discovered ${(await channel.request('servers/discover', { id })).tools.length} tools.`);
    case 'restart':
      return attempt('restarting', async () => {
        await channel.request('servers/restart', { id });
        return 'Restarted: its instances stopped; the next call starts them.';
      });
    case 'connect':
      return attempt('connecting', async () => {
        const answer = await channel.request('servers/connect', { id });
        if (answer.started) return 'Finish signing in in your browser; the list updates once the account is connected.';
        if (answer.authorize_url === null) return `The account “${answer.auth_scope_name}” is already connected.`;
        return `Open this link to connect the account “${answer.auth_scope_name}”: ${answer.authorize_url}`;
      });
    case 'confirmDelete':
    case 'cascadeDelete':
      return attempt('deleting', async () => {
        await channel.request('servers/delete', { id, cascade: action === 'cascadeDelete' });
        return undefined;
      });
  }
}

function submit(): Promise<void> {
  return submitForm(saved.form, {
    check: serverFormToBody,
    send: (form, body) =>
      form.mode === 'create'
        ? channel.request('servers/create', { body: body as never })
        : channel.request('servers/update', { id: form.id!, body: body as never }),
    fields: SERVER_FORM_FIELDS,
    render,
    done: async () => {
      saved.form = undefined;
      save();
      await refresh();
    },
    errorText,
  });
}

function toolbar(): HTMLElement {
  const status =
    connection.state === 'ready'
      ? `Gateway ${connection.url ?? ''}`
      : connection.state === 'attaching'
        ? 'Connecting to the gateway…'
        : 'The gateway is not reachable';
  return h(
    'div',
    { class: 'toolbar' },
    h('span', { class: `connection tone-${connection.state === 'error' ? 'error' : 'muted'}` }, status),
    loading ? h('vscode-progress-ring', { class: 'busy', 'aria-label': 'loading' }) : null,
    icon('add', { label: 'Add server', onClick: () => openAddForm() }),
    icon('refresh', { label: 'Refresh', onClick: () => void refresh() }),
  );
}

function openAddForm(): void {
  saved.form = { mode: 'create', values: emptyServerForm() };
  save();
  render();
}

function render(): void {
  const model = saved.snapshot ? buildServersModel(saved.snapshot, live) : undefined;
  const form = saved.form;
  mount(
    app,
    toolbar(),
    offlineBanner(connection, () => channel.notify('gateway/restart', {})),
    loadError ? h('p', { class: 'banner tone-error', role: 'alert' }, loadError) : null,
    model?.notes.map((note) => h('p', { class: 'banner tone-muted' }, note)),
    form
      ? renderServerForm(form, {
          onValue: (field, value) => {
            // On the Add form the namespace follows the name until the user writes one; the field is
            // updated in place, not re-rendered, so the name keeps the focus while typing.
            if (field === 'name' && form.mode === 'create' && typeName(form.values, String(value))) {
              const namespace = document.getElementById('field-namespace') as (HTMLElement & { value: string }) | null;
              if (namespace) namespace.value = form.values.namespace;
            } else form.values[field] = value;
            save();
          },
          onTransport: (value) => {
            form.values.transport = value;
            save();
            render();
          },
          onSubmit: () => void submit(),
          onCancel: () => {
            saved.form = undefined;
            save();
            render();
          },
        })
      : null,
    model && model.rows.length === 0 && !form
      ? h('p', { class: 'empty' }, 'No servers yet. ', h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), openAddForm()) }, 'Add one'))
      : null,
    model?.rows.map((row) =>
      renderRow(
        row,
        { expanded: saved.expanded.includes(row.id), toolsOpen: saved.toolsOpen.includes(row.id), ...rowUi.get(row.id) },
        {
          action: (id, action) => void runAction(id, action),
          toggled: (id, what, open) => {
            const key = what === 'row' ? 'expanded' : 'toolsOpen';
            saved[key] = open ? [...new Set([...saved[key], id])] : saved[key].filter((x) => x !== id);
            save();
          },
        },
      ),
    ),
  );
}

window.addEventListener('message', (event: MessageEvent) => channel.receive(event.data));
channel.on('gateway/state', (state) => {
  const wasReady = connection.state === 'ready';
  connection = state;
  markStale(app, state);
  if (state.state === 'ready' && !wasReady) void refresh();
  else render();
});
channel.on('gateway/event', (event) => {
  if (event.type === 'downstream.state' && event.server_id && event.state) {
    live = { ...live, [event.server_id]: { state: event.state, ...(event.error ? { error: event.error } : {}) } };
    render();
  }
  refreshSoon();
});
render();
channel.notify('view/ready', {});
