/** The Servers list (DOM), laid out from the pure view model; every action is a callback. */
import { h, icon } from '../shared/dom.js';
import { button } from '../shared/form.js';
import type { Explanation } from './explain.js';
import type { ServerRow } from './model.js';

export type RowAction = 'edit' | 'toggle' | 'discover' | 'restart' | 'connect' | 'delete' | 'confirmDelete' | 'cascadeDelete' | 'cancelDelete';

export interface RowUi {
  expanded: boolean;
  toolsOpen: boolean;
  busy?: string;
  /** The last action's error or result, in words. */
  message?: { tone: 'error' | 'info'; text: string };
  /** Delete asked: confirm; `conflict` holds the gateway's 409 explanation (offer cascade). */
  deleting?: { conflict?: string; consequence?: string; button?: string };
}

export interface RowHandlers {
  action(id: string, action: RowAction): void;
  toggled(id: string, what: 'row' | 'tools', open: boolean): void;
}

function explanationBlock(row: ServerRow, explanation: Explanation, on: RowHandlers): HTMLElement {
  const actionLabel: Record<string, [string, RowAction]> = {
    enable: ['Enable', 'toggle'],
    discover: ['Discover tools', 'discover'],
    restart: ['Restart', 'restart'],
    connect: ['Connect Account', 'connect'],
  };
  const action = explanation.action ? actionLabel[explanation.action] : undefined;
  return h(
    'div',
    { class: `explanation reason-${explanation.reason}`, role: 'note' },
    h('div', { class: 'explanation-title' }, icon(explanation.reason === 'failed' ? 'error' : 'info'), h('strong', {}, explanation.title)),
    h('p', {}, explanation.message),
    explanation.facts.length > 0
      ? h(
          'dl',
          { class: 'facts' },
          explanation.facts.map((f) => [h('dt', {}, f.label), h('dd', {}, f.text)]),
        )
      : null,
    explanation.hiddenTools.length > 0 ? h('p', { class: 'hidden-tools' }, 'Left out: ', explanation.hiddenTools.join(', ')) : null,
    explanation.stderr.length > 0 ? h('pre', { class: 'stderr', 'aria-label': 'stderr' }, explanation.stderr.join('\n')) : null,
    action
      ? h(
          'div',
          { class: 'buttons' },
          button(action[0], () => on.action(row.id, action[1]), { secondary: true }),
        )
      : null,
  );
}

function deleteBlock(row: ServerRow, ui: RowUi, on: RowHandlers): HTMLElement | null {
  if (!ui.deleting) return null;
  const conflict = ui.deleting.conflict;
  return h(
    'div',
    { class: 'confirm', role: 'alert' },
    conflict
      ? [
          h('p', {}, conflict),
          h('p', {}, ui.deleting.consequence ?? 'Deleting it anyway also deletes the rules and auth scopes that name it.'),
          button(ui.deleting.button ?? 'Delete with its rules and auth scopes', () => on.action(row.id, 'cascadeDelete')),
        ]
      : [h('p', {}, `Delete the server “${row.name}”?`), button('Delete', () => on.action(row.id, 'confirmDelete'))],
    button('Cancel', () => on.action(row.id, 'cancelDelete'), { secondary: true }),
  );
}

export function renderRow(row: ServerRow, ui: RowUi, on: RowHandlers): HTMLElement {
  const act = (action: RowAction, name: string, label: string) => icon(name, { label, onClick: () => on.action(row.id, action) });
  const toolCount =
    row.toolsVisible !== undefined && row.toolsVisible !== row.tools.length ? `${row.toolsVisible}/${row.tools.length}` : String(row.tools.length);
  const collapsible = h(
    'vscode-collapsible',
    {
      title: row.name,
      description: `${row.namespace} · ${row.state}`,
      open: ui.expanded,
      alwaysShowHeaderActions: true,
      class: `server state-${row.state}`,
      'data-server': row.id,
      'onvsc-collapsible-toggle': (e: CustomEvent<{ open: boolean }>) => on.toggled(row.id, 'row', e.detail.open),
    },
    h(
      'div',
      { slot: 'decorations', class: 'decorations' },
      h('span', { class: `state tone-${row.stateIcon.tone}`, title: row.state }, icon(row.stateIcon.name, { spin: row.stateIcon.spin })),
      h('vscode-badge', { variant: 'counter', title: `${toolCount} tools` }, toolCount),
    ),
    h(
      'div',
      { slot: 'actions', class: 'actions' },
      ui.busy ? h('vscode-progress-ring', { class: 'busy', 'aria-label': ui.busy }) : null,
      act('discover', 'search', 'Discover tools'),
      act('restart', 'debug-restart', 'Restart'),
      act('toggle', row.enabled ? 'debug-pause' : 'play', row.enabled ? 'Disable' : 'Enable'),
      row.readOnly ? null : act('edit', 'edit', 'Edit'),
      row.readOnly ? null : act('delete', 'trash', 'Delete'),
    ),
    h(
      'div',
      { class: 'server-body' },
      ui.message ? h('p', { class: `message tone-${ui.message.tone === 'error' ? 'error' : 'muted'}`, role: 'status' }, ui.message.text) : null,
      deleteBlock(row, ui, on),
      row.explanation ? explanationBlock(row, row.explanation, on) : null,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'State'),
        h('dd', {}, `${row.state}${row.inFlight > 0 ? ` · ${row.inFlight} calls in flight` : ''}`),
        h('dt', {}, 'Instances'),
        h('dd', {}, String(row.instances)),
        h('dt', {}, row.transport === 'http' ? 'URL' : 'Command'),
        h('dd', { class: 'mono' }, row.target),
        row.lastError && row.explanation?.reason !== 'failed' ? [h('dt', {}, 'Last error'), h('dd', {}, row.lastError)] : null,
        row.readOnly ? [h('dt', {}, 'Source'), h('dd', {}, 'the YAML config file (edit it there)')] : null,
      ),
      row.tools.length > 0
        ? h(
            'vscode-collapsible',
            {
              title: `Tools (${row.tools.length})`,
              open: ui.toolsOpen,
              class: 'tools',
              'onvsc-collapsible-toggle': (e: CustomEvent<{ open: boolean }>) => {
                e.stopPropagation();
                on.toggled(row.id, 'tools', e.detail.open);
              },
            },
            h(
              'ul',
              { class: 'tool-list' },
              row.tools.map((t) =>
                h('li', {}, h('code', {}, `${row.namespace}__${t.name}`), t.description ? h('span', { class: 'muted' }, ` — ${t.description}`) : null),
              ),
            ),
          )
        : null,
      row.stderr.length > 0 && row.explanation?.stderr.length !== row.stderr.length
        ? h('details', { class: 'stderr-block' }, h('summary', {}, 'Last stderr lines'), h('pre', { class: 'stderr' }, row.stderr.join('\n')))
        : null,
    ),
  );
  return collapsible;
}
