import type { Logger } from '../log.js';
import { CallMetrics, type CallFigures, type CallMetricsOptions } from './call-metrics.js';
import { MetricsFile } from './metrics-file.js';
import type { MetricsCall, MetricsNames, RangeSpec } from './types.js';

/** How often changed figures are saved, ms. */
export const DEFAULT_SAVE_INTERVAL_MS = 10_000;

export interface MetricsServiceOptions<R> extends CallMetricsOptions<R> {
  /** The data dir: figures persist in `<dataDir>/metrics.json`. */
  dataDir: string;
  logger: Logger;
  /** Default `DEFAULT_SAVE_INTERVAL_MS`. */
  saveIntervalMs?: number;
}

export interface MetricsService<R> {
  /** The call record sink (O(1), never throws on a settled record). */
  record(record: R): void;
  /** The call figures of one range. */
  figures(range: RangeSpec, names?: MetricsNames): CallFigures;
  /** Saves now if anything changed since the last save. */
  flush(): Promise<void>;
  /** Stops the periodic save and saves once more; idempotent. */
  stop(): Promise<void>;
  /** The kept maps' sizes (tests of the bound). */
  keyCounts(): ReturnType<CallMetrics<MetricsCall>['keyCounts']>;
}

/**
 * The dashboard's call figures, restart-proof: loads `metrics.json` at start (a missing or
 * unreadable file means empty figures), saves it every `saveIntervalMs` when something changed
 * and at stop. The timer does not keep the process alive.
 */
export function openMetrics<R extends MetricsCall>(options: MetricsServiceOptions<R>): MetricsService<R> {
  const metrics = new CallMetrics<R>(options);
  const file = new MetricsFile(options.dataDir, options.logger);
  metrics.load(file.read());
  const flush = (): Promise<void> => (metrics.takeChanged() ? file.write(metrics.save()) : Promise.resolve());
  const timer = setInterval(() => void flush(), options.saveIntervalMs ?? DEFAULT_SAVE_INTERVAL_MS);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    record: (record) => metrics.record(record),
    figures: (range, names) => metrics.figures(range, names),
    flush,
    stop() {
      clearInterval(timer);
      stopping ??= file.write(metrics.save());
      return stopping;
    },
    keyCounts: () => metrics.keyCounts(),
  };
}
