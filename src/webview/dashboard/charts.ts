/**
 * The Dashboard's two time charts, drawn by uPlot on a canvas: calls per bucket (total as bars,
 * errors as a line) and the average latency per bucket. A chart is built once and then only fed new
 * data (`setData`), so a live update redraws the canvas without rebuilding the DOM; a theme change
 * or a new width rebuilds it. uPlot sets element styles through the CSSOM (`el.style.x = …`), which
 * a CSP without `'unsafe-inline'` allows; its stylesheet is bundled into dashboard.css.
 */
import uPlot from 'uplot';
import type { ChartSeries } from './model.js';
import type { ChartTheme } from './theme.js';

export type ChartKind = 'calls' | 'latency';

const HEIGHT = 150;
/** Whole numbers only on a count axis. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

function dataOf(kind: ChartKind, series: ChartSeries): uPlot.AlignedData {
  if (kind === 'calls') return [series.x, series.total, series.errors];
  // No call in a bucket means no latency to show: a gap, not a zero.
  return [series.x, series.avgLatencyMs.map((ms, i) => (series.total[i]! > 0 ? ms : null))];
}

function options(kind: ChartKind, theme: ChartTheme, width: number): uPlot.Options {
  const axis = (values?: uPlot.Axis['values']): uPlot.Axis => ({
    stroke: theme.axis,
    font: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
    ...(values ? { values } : {}),
  });
  const bars = uPlot.paths.bars!({ size: [0.7, 24] });
  return {
    width,
    height: HEIGHT,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true },
    scales: {
      x: { time: true },
      // From 0, and at least 0–1 so an empty window still has an axis.
      y: { range: (_u, _min, max) => [0, Math.max(kind === 'calls' ? 1 : 0.1, max * 1.1)] },
    },
    axes:
      kind === 'calls'
        ? [axis(), { ...axis(), incrs: COUNT_STEPS, size: 40 }]
        : [axis(), { ...axis((_u, splits) => splits.map((v) => (v >= 1000 ? `${+(v / 1000).toFixed(1)} s` : `${+v.toFixed(1)} ms`))), size: 56 }],
    series:
      kind === 'calls'
        ? [
            {},
            { label: 'Calls', stroke: theme.total, fill: theme.total, paths: bars, points: { show: false }, width: 1 },
            { label: 'Errors', stroke: theme.errors, width: 2, points: { show: false } },
          ]
        : [
            {},
            {
              label: 'Avg latency',
              stroke: theme.latency,
              width: 2,
              spanGaps: false,
              // A bucket between two empty ones has no line to draw: its point shows it.
              points: { show: true, size: 5, fill: theme.latency },
              value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)} ms`),
            },
          ],
  };
}

export class TimeChart {
  private plot: uPlot | undefined;
  private series: ChartSeries | undefined;
  private width = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly kind: ChartKind,
    private theme: ChartTheme,
  ) {}

  /** Shows `series`: the first time (or after a rebuild) builds the chart, then only swaps its data. */
  update(series: ChartSeries): void {
    this.series = series;
    const width = this.measure();
    if (!this.plot || width !== this.width) return this.rebuild(width);
    this.plot.setData(dataOf(this.kind, series));
  }

  /** New colours (the theme changed): rebuilds with the data it shows. */
  retheme(theme: ChartTheme): void {
    this.theme = theme;
    if (this.series) this.rebuild(this.measure());
  }

  /** The container's width changed. */
  resize(): void {
    const width = this.measure();
    if (!this.plot || width === this.width) return;
    this.width = width;
    this.plot.setSize({ width, height: HEIGHT });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  private measure(): number {
    return Math.max(160, Math.floor(this.host.clientWidth || 300));
  }

  private rebuild(width: number): void {
    this.destroy();
    if (!this.series) return;
    this.width = width;
    this.plot = new uPlot(options(this.kind, this.theme, width), dataOf(this.kind, this.series), this.host);
  }
}
