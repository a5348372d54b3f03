import { addSparse, BINS, isCount, quantileMs, roundMs, sparseBins } from './histogram.js';

/** The key calls beyond a map's cap are counted under, so totals stay whole. */
export const OVERFLOW_KEY = '(other)';

/** Counters of one key (a tool, a server, a route rule), kept since metrics began. */
export interface Aggregate {
  readonly key: string;
  calls: number;
  success: number;
  errors: number;
  blocked: number;
  latencySum: number;
  readonly histogram: Float64Array;
  /** What the key is shown with, as last seen: the server's id and name, the rule's name and path glob. */
  serverId: string | undefined;
  serverName: string | undefined;
  ruleName: string | undefined;
  pathGlob: string | undefined;
}

/** An aggregate as metrics.json keeps it. */
export interface StoredAggregate {
  key: string;
  calls: number;
  success: number;
  errors: number;
  blocked: number;
  latency_sum_ms: number;
  histogram: Array<[number, number]>;
  server_id?: string;
  server_name?: string;
  rule_name?: string;
  path_glob?: string;
}

/** The figures every per-key list shows (the original's names). */
export interface KeyFigures {
  call_count: number;
  error_count: number;
  /** Calls with status `error` per call, in percent (0–100), as the original computes it. */
  error_rate: number;
  avg_latency_ms: number;
  p95_latency_ms: number;
  /** Ours: calls refused by a policy (the original counts them only in the error breakdown). */
  blocked_count: number;
}

/**
 * Aggregates by key, at most `cap` keys: a key first seen when the map is full is counted under
 * `OVERFLOW_KEY`. A new key costs one object and one histogram; a known key costs one map read
 * and a few increments.
 */
export class KeyedAggregates {
  private readonly map = new Map<string, Aggregate>();

  /**
   * @param cap keys kept; calls of further keys count under `OVERFLOW_KEY`
   * @param shown what a key is saved as (metrics.json): tool names are masked of secrets there
   */
  constructor(
    readonly cap: number,
    private readonly shown: (key: string) => string = (key) => key,
  ) {}

  /** The aggregate of `key` (created if there is room, else the overflow one). */
  of(key: string): Aggregate {
    const found = this.map.get(key);
    if (found !== undefined) return found;
    const target = this.map.size < this.cap ? key : OVERFLOW_KEY;
    let created = this.map.get(target);
    if (created === undefined) {
      created = newAggregate(target);
      this.map.set(target, created);
    }
    return created;
  }

  /** Counts one call. */
  static add(agg: Aggregate, status: 'success' | 'error' | 'blocked', latencyMs: number, bin: number): void {
    agg.calls += 1;
    if (status === 'success') agg.success += 1;
    else if (status === 'error') agg.errors += 1;
    else agg.blocked += 1;
    agg.latencySum += latencyMs;
    agg.histogram[bin]! += 1;
  }

  get size(): number {
    return this.map.size;
  }

  values(): IterableIterator<Aggregate> {
    return this.map.values();
  }

  save(): StoredAggregate[] {
    return [...this.map.values()].map((a) => ({
      key: this.shown(a.key),
      calls: a.calls,
      success: a.success,
      errors: a.errors,
      blocked: a.blocked,
      latency_sum_ms: a.latencySum,
      histogram: sparseBins(a.histogram),
      ...(a.serverId !== undefined ? { server_id: a.serverId } : {}),
      ...(a.serverName !== undefined ? { server_name: a.serverName } : {}),
      ...(a.ruleName !== undefined ? { rule_name: a.ruleName } : {}),
      ...(a.pathGlob !== undefined ? { path_glob: a.pathGlob } : {}),
    }));
  }

  /**
   * Puts back aggregates read from metrics.json (the cap still holds); malformed entries are
   * skipped, and entries of one key (two keys saved as one) are added together.
   */
  load(stored: unknown): void {
    if (!Array.isArray(stored)) return;
    for (const entry of stored as Array<Partial<StoredAggregate>>) {
      if (typeof entry?.key !== 'string' || ![entry.calls, entry.success, entry.errors, entry.blocked].every(isCount)) continue;
      if (typeof entry.latency_sum_ms !== 'number' || !Number.isFinite(entry.latency_sum_ms) || entry.latency_sum_ms < 0) continue;
      const agg = this.of(entry.key);
      agg.calls += entry.calls!;
      agg.success += entry.success!;
      agg.errors += entry.errors!;
      agg.blocked += entry.blocked!;
      agg.latencySum += entry.latency_sum_ms;
      addSparse(agg.histogram, entry.histogram);
      agg.serverId ??= text(entry.server_id);
      agg.serverName ??= text(entry.server_name);
      agg.ruleName ??= text(entry.rule_name);
      agg.pathGlob ??= text(entry.path_glob);
    }
  }
}

/** The shown figures of an aggregate. */
export function figures(agg: Aggregate): KeyFigures {
  return {
    call_count: agg.calls,
    error_count: agg.errors,
    error_rate: agg.calls === 0 ? 0 : Math.round((agg.errors / agg.calls) * 100_000) / 1000,
    avg_latency_ms: agg.calls === 0 ? 0 : roundMs(agg.latencySum / agg.calls),
    p95_latency_ms: quantileMs(agg.histogram, 0.95),
    blocked_count: agg.blocked,
  };
}

/** The first `limit` items by `count` descending, ties by key ascending (stable between calls). */
export function top<T>(items: T[], count: (item: T) => number, key: (item: T) => string, limit = Infinity): T[] {
  return items.sort((a, b) => count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).slice(0, limit);
}

function newAggregate(key: string): Aggregate {
  return {
    key,
    calls: 0,
    success: 0,
    errors: 0,
    blocked: 0,
    latencySum: 0,
    histogram: new Float64Array(BINS),
    serverId: undefined,
    serverName: undefined,
    ruleName: undefined,
    pathGlob: undefined,
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
