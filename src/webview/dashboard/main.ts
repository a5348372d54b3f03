/**
 * The Dashboard view: `GET /api/v1/dashboard` through the host, with a range picker, two charts of
 * the timeseries and a table per section. Live: it subscribes once and the host posts a fresh
 * snapshot at most twice a second while calls happen (see host/dashboard-handlers.ts). The range,
 * the open sections and the last snapshot survive the view being hidden (setState).
 *
 * Only the channel and the state API of src/webview/shared are used, so the same bundle runs in a
 * VS Code webview and in the browser page the daemon serves.
 */
import '../shared/zod-jitless.js';
import 'uplot/dist/uPlot.min.css';
import '../shared/base.css';
import './dashboard.css';
import { dashboardProtocol, type DashboardRange, type DashboardSnapshot, type LiveStatus } from '../../shared/webviews/dashboard-protocol.js';
import type { GatewayStateNote } from '../../shared/webviews/answers.js';
import { RequestError, ViewChannel } from '../shared/channel.js';
import { h, mount } from '../shared/dom.js';
import '../shared/elements.js';
import { markStale, offlineBanner } from '../shared/offline.js';
import { vscodeApi } from '../shared/vscode-api.js';
import { TimeChart } from './charts.js';
import { buildDashboardModel, chartSummary, type SectionId } from './model.js';
import { buildFrame, renderFigures, renderTable } from './render.js';
import { chartTheme, watchTheme } from './theme.js';

interface SavedState {
  range: DashboardRange;
  open: SectionId[];
  snapshot?: DashboardSnapshot;
}

/** Without a call the window still moves on (buckets roll, sessions come and go): refetch this often, ms. */
const QUIET_REFRESH_MS = 30_000;

const api = vscodeApi<SavedState>();
const saved: SavedState = { range: '1h', open: ['tools', 'servers', 'errors'], ...api.getState() };
const channel = new ViewChannel(dashboardProtocol, api);
const app = document.getElementById('app')!;
const save = () => api.setState(saved);
const errorText = (error: unknown) => (error instanceof RequestError ? error.wire.message : error instanceof Error ? error.message : String(error));

let connection: GatewayStateNote = { state: 'attaching' };
let live: LiveStatus = { status: 'closed' };
let loading = 0;
/** How many snapshots were drawn (exposed as `data-draws` for the tests and the bench's view side). */
let draws = 0;

const frame = buildFrame(saved.range, saved.open, {
  range: (range) => {
    if (range === saved.range) return;
    saved.range = range;
    save();
    void subscribe();
  },
  refresh: () => void load('dashboard/snapshot'),
  flush: (layer) => void flush(layer),
  toggled: (id, open) => {
    saved.open = open ? [...new Set([...saved.open, id])] : saved.open.filter((s) => s !== id);
    save();
  },
});
const offlineEl = h('div', { class: 'offline-slot' });
mount(app, offlineEl, frame.root);
const readVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name);
const calls = new TimeChart(frame.callsChart, 'calls', chartTheme(readVar));
const latency = new TimeChart(frame.latencyChart, 'latency', chartTheme(readVar));

function draw(snapshot: DashboardSnapshot): void {
  // A late answer for the range the user just left is not shown.
  if (snapshot.range !== saved.range) return;
  saved.snapshot = snapshot;
  save();
  const model = buildDashboardModel(snapshot, Date.now());
  renderFigures(frame.figures, model.figures);
  calls.update(model.chart);
  latency.update(model.chart);
  frame.chartSummary.textContent = chartSummary(model.chart, model.range);
  frame.root.dataset.sumTotal = String(model.chart.sumTotal);
  frame.root.dataset.sumErrors = String(model.chart.sumErrors);
  for (const table of model.tables) renderTable(frame, table);
  frame.root.dataset.draws = String(++draws);
}

function showStatus(error?: string): void {
  const text =
    connection.state !== 'ready'
      ? connection.state === 'attaching'
        ? 'Connecting to the gateway…'
        : 'The gateway is not reachable'
      : live.status === 'open'
        ? 'Live'
        : live.status === 'reconnecting'
          ? 'Live updates reconnecting…'
          : live.status === 'connecting'
            ? 'Connecting live updates…'
            : 'Not live';
  frame.status.textContent = text;
  frame.status.className = `connection tone-${connection.state === 'error' ? 'error' : live.status === 'open' ? 'ok' : 'muted'}`;
  frame.root.dataset.live = live.status;
  const message = error ?? live.error;
  frame.banner.hidden = !message;
  frame.banner.textContent = message ?? '';
  frame.busy.hidden = loading === 0;
}

async function load(method: 'dashboard/subscribe' | 'dashboard/snapshot'): Promise<void> {
  loading += 1;
  showStatus();
  try {
    draw(await channel.request(method, { range: saved.range }));
    showStatus();
  } catch (error) {
    showStatus(errorText(error));
  } finally {
    loading -= 1;
    frame.busy.hidden = loading === 0;
  }
}

const subscribe = () => load('dashboard/subscribe');

async function flush(layer: 'all' | 'tool_call' | 'route'): Promise<void> {
  frame.flushMessage.hidden = false;
  frame.flushMessage.textContent = 'Flushing…';
  try {
    frame.flushMessage.textContent = (await channel.request('dashboard/flushCache', { layer })).message;
  } catch (error) {
    frame.flushMessage.textContent = `The caches were not flushed: ${errorText(error)}`;
  }
}

window.addEventListener('message', (event: MessageEvent) => channel.receive(event.data));
channel.on('gateway/state', (state) => {
  const wasReady = connection.state === 'ready';
  connection = state;
  markStale(app, state);
  mount(
    offlineEl,
    offlineBanner(state, () => channel.notify('gateway/restart', {})),
  );
  // (Re)attached: the host's client may be a new one; subscribe again through it.
  if (state.state === 'ready' && !wasReady) void subscribe();
  showStatus();
});
channel.on('dashboard/update', ({ snapshot }) => draw(snapshot));
channel.on('dashboard/live', (status) => {
  live = status;
  showStatus();
});
channel.on('dashboard/refresh', () => void load('dashboard/snapshot'));
// A server's state shows in the Downstream servers table. Those events are rare (a start, a stop,
// not a call), and a burst of them (a restart of many servers) is still one fetch.
let eventTimer: ReturnType<typeof setTimeout> | undefined;
channel.on('gateway/event', (event) => {
  if (event.type !== 'downstream.state' && event.type !== 'config.changed') return;
  clearTimeout(eventTimer);
  eventTimer = setTimeout(() => void load('dashboard/snapshot'), 500);
});

const retheme = () => {
  calls.retheme(chartTheme(readVar));
  latency.retheme(chartTheme(readVar));
};
watchTheme(retheme);
new ResizeObserver(() => {
  calls.resize();
  latency.resize();
}).observe(frame.callsChart);
setInterval(() => {
  if (connection.state === 'ready' && loading === 0) void load('dashboard/snapshot');
}, QUIET_REFRESH_MS);

if (saved.snapshot) draw(saved.snapshot);
showStatus();
channel.notify('view/ready', {});
