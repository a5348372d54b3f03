/**
 * The Dashboard's DOM. The frame (toolbar, figures, charts, sections) is built once; an update only
 * replaces the figures' and tables' contents and feeds the charts new data, so a live update does
 * not rebuild the charts or close a section the user opened.
 */
import { h, icon, mount } from '../shared/dom.js';
import { DASHBOARD_RANGES, type DashboardRange } from '../../shared/webviews/dashboard-protocol.js';
import { RANGE_LABELS, type Figure, type SectionId, type TableModel } from './model.js';

export interface FrameHandlers {
  range(range: DashboardRange): void;
  refresh(): void;
  flush(layer: 'all' | 'tool_call' | 'route'): void;
  toggled(section: SectionId, open: boolean): void;
}

export interface Frame {
  root: HTMLElement;
  status: HTMLElement;
  busy: HTMLElement;
  range: HTMLSelectElement;
  banner: HTMLElement;
  figures: HTMLElement;
  callsChart: HTMLElement;
  latencyChart: HTMLElement;
  chartSummary: HTMLElement;
  sections: Map<SectionId, { section: HTMLElement; body: HTMLElement }>;
  flushMessage: HTMLElement;
}

const SECTION_ORDER: SectionId[] = ['tools', 'servers', 'errors', 'routes', 'approvals', 'caches', 'sessions', 'downstreams'];
const SECTION_TITLES: Record<SectionId, string> = {
  tools: 'Tool leaderboard',
  servers: 'Server health',
  errors: 'Errors',
  routes: 'Route hits',
  approvals: 'Approvals',
  caches: 'Caches',
  sessions: 'Active sessions',
  downstreams: 'Downstream servers',
};

/** Builds the frame once. `open` lists the sections shown open (saved with setState). */
export function buildFrame(range: DashboardRange, open: readonly SectionId[], on: FrameHandlers): Frame {
  const select = h(
    'vscode-single-select',
    {
      id: 'range',
      'aria-label': 'Time range',
      class: 'range',
      onchange: (event: Event) => on.range((event.target as HTMLSelectElement).value as DashboardRange),
    },
    DASHBOARD_RANGES.map((r) => h('vscode-option', { value: r, selected: r === range, description: RANGE_LABELS[r] }, r)),
  ) as HTMLSelectElement;
  select.value = range;
  const status = h('span', { class: 'connection tone-muted', role: 'status' }, 'Connecting to the gateway…');
  const busy = h('vscode-progress-ring', { class: 'busy', 'aria-label': 'loading', hidden: true });
  const flushMessage = h('p', { class: 'flush-message', role: 'status', hidden: true });
  const sections = new Map<SectionId, { section: HTMLElement; body: HTMLElement }>();
  for (const id of SECTION_ORDER) {
    const body = h('div', { class: 'section-body' });
    const section = h(
      'vscode-collapsible',
      {
        title: SECTION_TITLES[id],
        open: open.includes(id),
        class: 'section',
        'data-section': id,
        'onvsc-collapsible-toggle': (e: CustomEvent<{ open: boolean }>) => on.toggled(id, e.detail.open),
      },
      id === 'caches'
        ? h('div', { slot: 'actions', class: 'actions' }, icon('clear-all', { label: 'Flush every cache', onClick: () => on.flush('all') }))
        : null,
      id === 'caches' ? flushMessage : null,
      body,
    );
    sections.set(id, { section, body });
  }
  const callsChart = h('div', { class: 'chart', 'data-chart': 'calls' });
  const latencyChart = h('div', { class: 'chart', 'data-chart': 'latency' });
  const chartSummary = h('p', { class: 'chart-summary muted' });
  const root = h(
    'div',
    { class: 'dashboard' },
    h('div', { class: 'toolbar' }, status, busy, select, icon('refresh', { label: 'Refresh', onClick: () => on.refresh() })),
    h('p', { class: 'banner tone-error', role: 'alert', hidden: true }),
    h('div', { class: 'figures', 'aria-label': 'Totals' }),
    h(
      'figure',
      { class: 'charts', 'aria-describedby': 'chart-summary' },
      h('h2', {}, 'Calls per bucket'),
      callsChart,
      h('h2', {}, 'Average latency'),
      latencyChart,
      chartSummary,
    ),
    SECTION_ORDER.map((id) => sections.get(id)!.section),
  );
  chartSummary.id = 'chart-summary';
  return {
    root,
    status,
    busy,
    range: select,
    banner: root.querySelector('.banner') as HTMLElement,
    figures: root.querySelector('.figures') as HTMLElement,
    callsChart,
    latencyChart,
    chartSummary,
    sections,
    flushMessage,
  };
}

export function renderFigures(target: HTMLElement, figures: readonly Figure[]): void {
  mount(
    target,
    figures.map((f) =>
      h(
        'div',
        { class: `figure${f.tone ? ` tone-${f.tone}` : ''}`, 'data-figure': f.id },
        h('span', { class: 'value' }, f.value),
        h('span', { class: 'label' }, f.label),
      ),
    ),
  );
}

export function renderTable(frame: Frame, table: TableModel): void {
  const target = frame.sections.get(table.id);
  if (!target) return;
  (target.section as HTMLElement & { description: string }).description =
    table.badge ?? (table.rows.length > 0 && table.empty ? String(table.rows.length) : '');
  if (table.rows.length === 0) {
    mount(target.body, h('p', { class: 'empty muted' }, table.empty));
    return;
  }
  mount(
    target.body,
    h(
      'table',
      { class: 'data', 'data-table': table.id },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          table.columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.label)),
        ),
      ),
      h(
        'tbody',
        {},
        table.rows.map((row) =>
          h(
            'tr',
            { 'data-key': row.key, class: row.tone ? `row-${row.tone}` : undefined },
            row.cells.map((cell, i) => h('td', { class: table.columns[i]?.numeric ? 'num' : undefined }, cell)),
          ),
        ),
      ),
    ),
  );
}
