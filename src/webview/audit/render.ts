/** The Audit view's DOM pieces, laid out from the pure models; every action is a callback. */
import type { EntityNames } from '../../shared/webviews/entity-names.js';
import type { AuditRecord } from '../../shared/schemas/audit.js';
import type { WorkspaceAnswer } from '../../shared/webviews/answers.js';
import { h, icon } from '../shared/dom.js';
import { button, selectField, textField } from '../shared/form.js';
import { RANGE_LABELS, RANGES, STATUSES, type FilterField, type FilterForm } from './filter-model.js';
import { argumentsText, recordFacts, recordRow } from './record-model.js';

export interface FilterHandlers {
  onValue(field: FilterField, value: string): void;
  apply(): void;
  clear(): void;
}

/** The filter form (tool, status, error code, workspace, session, time). */
export function renderFilters(
  form: FilterForm,
  errors: Partial<Record<FilterField, string>>,
  workspaces: readonly WorkspaceAnswer[],
  on: FilterHandlers,
): HTMLElement {
  const text = (name: FilterField, label: string, placeholder: string) =>
    textField({ name, label, value: form[name], placeholder, error: errors[name], onValue: (v) => on.onValue(name, v) });
  const workspaceChoices: Array<[string, string]> = [['', 'Any workspace'], ...workspaces.map((w): [string, string] => [w.id, `${w.name} (${w.root_path})`])];
  // A workspace typed in by the command (an id this list lacks) stays selectable.
  if (form.workspace_id && !workspaces.some((w) => w.id === form.workspace_id)) workspaceChoices.push([form.workspace_id, form.workspace_id]);
  return h(
    'form',
    {
      class: 'panel filters',
      'aria-label': 'Audit filters',
      onsubmit: (event: Event) => {
        event.preventDefault();
        on.apply();
      },
      onkeydown: (event: KeyboardEvent) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          on.apply();
        }
      },
    },
    text('tool_name', 'Tool (exact or glob)', 'github__*'),
    selectField({
      name: 'status',
      label: 'Status',
      value: form.status,
      error: errors.status,
      choices: [['', 'Any status'], ...STATUSES.map((s): [string, string] => [s, s])],
      onValue: (v) => on.onValue('status', v),
    }),
    text('error_code', 'Error code', 'denied, no_route, tool_error, timeout, …'),
    selectField({
      name: 'workspace_id',
      label: 'Workspace',
      value: form.workspace_id,
      error: errors.workspace_id,
      choices: workspaceChoices,
      onValue: (v) => on.onValue('workspace_id', v),
    }),
    text('session_id', 'Session', 'an MCP session id'),
    selectField({
      name: 'range',
      label: 'Time',
      value: form.range,
      choices: RANGES.map((r): [string, string] => [r, RANGE_LABELS[r]]),
      onValue: (v) => on.onValue('range', v),
    }),
    form.range === 'custom' ? [text('after', 'From', '2026-01-31 09:30'), text('before', 'To', '2026-01-31T10:00:00Z')] : null,
    h(
      'div',
      { class: 'buttons' },
      button('Apply', () => on.apply(), { icon: 'filter' }),
      button('Clear', () => on.clear(), { secondary: true }),
    ),
  );
}

export interface RecordHandlers {
  toggle(id: string): void;
  filterSession(session: string): void;
}

/** The detail under a selected row: the facts, then the redacted arguments. */
export function renderDetail(record: AuditRecord, on: RecordHandlers, names?: EntityNames): HTMLElement {
  return h(
    'section',
    { class: 'detail', 'aria-label': `Audit record ${record.id}` },
    h(
      'dl',
      { class: 'facts' },
      recordFacts(record, names).map((f) => [h('dt', {}, f.label), h('dd', { 'data-fact': f.key, title: f.title }, f.text)]),
    ),
    h('h3', {}, 'Arguments (redacted)'),
    h('pre', { class: 'arguments', 'aria-label': 'Arguments (redacted)' }, argumentsText(record)),
    h(
      'div',
      { class: 'buttons' },
      button('Show this session', () => on.filterSession(record.session_id), { secondary: true, icon: 'filter' }),
    ),
  );
}

/** One row (and its detail when selected). */
export function renderRecord(record: AuditRecord, selected: boolean, on: RecordHandlers, names?: EntityNames): HTMLElement {
  const row = recordRow(record);
  return h(
    'li',
    { class: `record status-${row.status}${selected ? ' selected' : ''}`, 'data-id': row.id, 'data-tool': row.tool },
    h(
      'div',
      {
        class: 'record-line',
        role: 'button',
        tabindex: '0',
        'aria-expanded': selected ? 'true' : 'false',
        onclick: () => on.toggle(row.id),
        onkeydown: (event: KeyboardEvent) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            on.toggle(row.id);
          }
        },
      },
      h('span', { class: `status tone-${row.status === 'success' ? 'ok' : row.status}`, title: row.status }, icon(row.icon, { label: row.status })),
      h('span', { class: 'tool' }, row.tool),
      h('span', { class: 'latency muted' }, row.latency),
      h('span', { class: 'time muted' }, row.time),
      row.note ? h('span', { class: 'note muted' }, row.note) : null,
    ),
    selected ? renderDetail(record, on, names) : null,
  );
}
