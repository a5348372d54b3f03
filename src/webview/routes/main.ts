/**
 * The Routes view: the rules of this window's folders in the gateway's evaluation order, their
 * edits, and the dry-run box. The dry-run tool, its last answer and a half-typed form survive the
 * view being hidden (setState).
 */
import '../shared/zod-jitless.js';
import type { GatewayStateNote } from '../../shared/webviews/answers.js';
import { routesProtocol, type RoutesSnapshot } from '../../shared/webviews/routes-protocol.js';
import { RequestError, ViewChannel } from '../shared/channel.js';
import { h, icon, mount } from '../shared/dom.js';
import '../shared/elements.js';
import { submitForm } from '../shared/form-submit.js';
import { button, textField } from '../shared/form.js';
import { markStale, offlineBanner } from '../shared/offline.js';
import { vscodeApi } from '../shared/vscode-api.js';
import '../shared/base.css';
import { approvalPossible, emptyRouteForm, ROUTE_FORM_FIELDS, routeFormToBody, routeToForm, setRouteFormValue } from './form-model.js';
import { renderRouteForm, type RouteFormState } from './form.js';
import { buildDryRunModel, buildRoutesModel, dryRunRequest, dryRunStale, type DryRunBox, type RuleRow } from './model.js';
import { renderDryRun, renderFolder, type RuleUi } from './render.js';

interface SavedState {
  snapshot?: RoutesSnapshot;
  dryRun: DryRunBox;
  form?: RouteFormState;
}

const api = vscodeApi<SavedState>();
const saved: SavedState = api.getState() ?? { dryRun: { tool: '', subpath: '' } };
const channel = new ViewChannel(routesProtocol, api);
const app = document.getElementById('app')!;
let connection: GatewayStateNote = { state: 'attaching' };
let loadError: string | undefined;
let loading = false;
const ruleUi = new Map<string, RuleUi>();

const save = () => api.setState(saved);
const errorText = (error: unknown) => (error instanceof RequestError ? error.wire.message : error instanceof Error ? error.message : String(error));

async function refresh(): Promise<void> {
  loading = true;
  render();
  try {
    saved.snapshot = await channel.request('routes/snapshot', {});
    loadError = undefined;
    save();
  } catch (error) {
    loadError = errorText(error);
  } finally {
    loading = false;
  }
  render();
}

async function runDryRun(): Promise<void> {
  const request = dryRunRequest(saved.dryRun);
  if (!request.ok) {
    saved.dryRun = request.box;
    save();
    return render();
  }
  const { tool_name, subpath } = request;
  try {
    const answer = await channel.request('routes/dryRun', { tool_name, ...(subpath ? { subpath } : {}) });
    saved.dryRun = { ...saved.dryRun, answer: answer.folders, scope: answer.scope, askedTool: tool_name, askedSubpath: subpath ?? '', error: undefined };
  } catch (error) {
    saved.dryRun = { tool: saved.dryRun.tool, subpath: saved.dryRun.subpath, error: errorText(error) };
  }
  save();
  render();
  // The answer is drawn inside the box, which may sit below an open form or out of a short view:
  // brought into sight, as a question asked from the palette expects. At the next frame: the form's
  // elements (Lit) take their height in a microtask after the render, moving the box down.
  requestAnimationFrame(() => document.querySelector('.dry-run-answer, .dry-run [role="alert"]')?.scrollIntoView({ block: 'nearest' }));
}

/** Typing in the box marks the answer shown as the previous one's (no redraw: the field keeps its focus). */
function markDryRunStale(): void {
  const stale = dryRunStale(saved.dryRun);
  const shown = document.querySelector('.dry-run-answer');
  shown?.classList.toggle('stale', stale);
  const note = shown?.querySelector<HTMLElement>('.stale-note');
  if (note) note.hidden = !stale;
}

function defaultWorkspace(): string {
  const first = saved.snapshot?.folders.find((f) => f.answer.ok);
  return first && first.answer.ok ? first.answer.value.workspace.id : 'global';
}

function openForm(form: RouteFormState): void {
  saved.form = form;
  save();
  render();
}

function submit(): Promise<void> {
  return submitForm(saved.form, {
    check: routeFormToBody,
    send: (form, body) =>
      form.mode === 'create'
        ? channel.request('routes/create', { body: body as never })
        : channel.request('routes/update', { id: form.id!, body: body as never }),
    fields: ROUTE_FORM_FIELDS,
    render,
    done: async () => {
      saved.form = undefined;
      save();
      await refresh();
    },
    errorText,
  });
}

async function removeRule(row: RuleRow, confirmed: boolean): Promise<void> {
  if (!confirmed) {
    ruleUi.set(row.id, { deleting: true });
    return render();
  }
  try {
    await channel.request('routes/delete', { id: row.id });
    ruleUi.delete(row.id);
    await refresh();
  } catch (error) {
    ruleUi.set(row.id, { message: errorText(error) });
    render();
  }
}

function dryRunBox(): HTMLElement {
  const d = saved.dryRun;
  return h(
    'form',
    { class: 'panel dry-run', 'aria-label': 'Dry run', onsubmit: (e: Event) => (e.preventDefault(), void runDryRun()) },
    h('h2', {}, icon('debug-alt'), ' Dry run'),
    textField({
      name: 'dry-tool',
      label: 'Tool name',
      value: d.tool,
      placeholder: 'everything__echo',
      error: d.error,
      onValue: (v) => ((d.tool = v), save(), markDryRunStale()),
    }),
    textField({
      name: 'dry-subpath',
      label: 'Subpath (optional)',
      value: d.subpath,
      placeholder: 'src/app',
      onValue: (v) => ((d.subpath = v), save(), markDryRunStale()),
    }),
    h(
      'div',
      { class: 'buttons' },
      button('Run', () => void runDryRun(), { icon: 'play' }),
    ),
    d.answer && d.askedTool
      ? h(
          'div',
          { class: `dry-run-answer${dryRunStale(d) ? ' stale' : ''}` },
          h(
            'p',
            { class: 'stale-note tone-muted', role: 'status', hidden: !dryRunStale(d) },
            `The answer below is for ${d.askedTool}${d.askedSubpath ? ` in ${d.askedSubpath}` : ''}; the box has changed since. Press Run for this one.`,
          ),
          renderDryRun(buildDryRunModel(d.answer, d.scope, saved.snapshot?.workspaces), d.askedTool),
        )
      : null,
  );
}

function render(): void {
  const snapshot = saved.snapshot;
  const model = snapshot ? buildRoutesModel(snapshot) : undefined;
  const status =
    connection.state === 'ready'
      ? 'Rules in the order the gateway evaluates them'
      : connection.state === 'attaching'
        ? 'Connecting to the gateway…'
        : 'The gateway is not reachable';
  const form = saved.form;
  mount(
    app,
    h(
      'div',
      { class: 'toolbar' },
      h('span', { class: `connection tone-${connection.state === 'error' ? 'error' : 'muted'}` }, status),
      loading ? h('vscode-progress-ring', { class: 'busy', 'aria-label': 'loading' }) : null,
      icon('add', { label: 'Add rule', onClick: () => openForm({ mode: 'create', values: emptyRouteForm(defaultWorkspace()) }) }),
      icon('refresh', { label: 'Refresh', onClick: () => void refresh() }),
    ),
    offlineBanner(connection, () => channel.notify('gateway/restart', {})),
    loadError ? h('p', { class: 'banner tone-error', role: 'alert' }, loadError) : null,
    model?.multiRoot
      ? h(
          'p',
          { class: 'banner tone-muted multi-root' },
          `This window has ${model.folders.length} folders. Copilot’s calls carry all of them: a tool is listed and allowed only where every folder’s rules allow it — the strictest folder decides (deny beats approve beats allow).`,
        )
      : null,
    form && snapshot
      ? renderRouteForm(
          form,
          {
            workspaces: snapshot.workspaces.map((w) => [w.id, `${w.name} (${w.root_path})`]),
            servers: snapshot.servers.map((s) => [s.id, `${s.name} (${s.namespace})`]),
            authScopes: (snapshot.auth_scopes ?? []).map((a) => [a.id, `${a.name} (${a.type})`]),
          },
          {
            onValue: (field, value) => {
              const asked = approvalPossible(form.values);
              const more = setRouteFormValue(form, field, value);
              save();
              // Drawn again when other fields changed, or the approval fields appear or go.
              if (more || approvalPossible(form.values) !== asked) render();
            },
            onSubmit: () => void submit(),
            onCancel: () => ((saved.form = undefined), save(), render()),
          },
        )
      : null,
    dryRunBox(),
    model?.folders.map((section) =>
      renderFolder(section, ruleUi, {
        edit: (row) => openForm({ mode: 'update', id: row.id, title: row.title, values: routeToForm(row.rule), initial: routeToForm(row.rule) }),
        remove: (row, confirmed) => void removeRule(row, confirmed),
        cancel: (row) => (ruleUi.delete(row.id), render()),
      }),
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
  if (event.type === 'config.changed' || event.type === 'resync') void refresh();
});
channel.on('routes/showAdd', () => openForm({ mode: 'create', values: emptyRouteForm(defaultWorkspace()) }));
channel.on('routes/runDryRun', ({ tool_name }) => {
  saved.dryRun.tool = tool_name;
  void runDryRun();
});
render();
channel.notify('view/ready', {});
