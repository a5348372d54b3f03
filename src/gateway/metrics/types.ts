/**
 * What metrics reads of a settled call. `calls/`'s `CallRecord` has this shape (metrics sits below
 * `calls` and so names only the fields it needs, structurally): the composition root hands the
 * same records to every sink.
 */
export interface MetricsCall {
  /** When the call entered the pipeline: ms since the epoch. */
  readonly startedAt: number;
  readonly sessionId: string;
  /** The full name routed (`namespace__tool`, …): the leaderboard's and error breakdown's key. */
  readonly name: string;
  /** The server that owns the name, when known (also for calls refused before routing chose one). */
  readonly server: MetricsServer | undefined;
  /** The route decision: the deciding rule and the server the call went to. */
  readonly decision: { readonly rule?: MetricsRule; readonly server?: MetricsServer } | undefined;
  readonly status: 'success' | 'error' | 'blocked';
  /** ms, sub-ms precision. */
  readonly latencyMs: number;
}

export interface MetricsServer {
  readonly id: string;
  readonly name: string;
}

export interface MetricsRule {
  readonly id: string;
  readonly name?: string;
  readonly path_glob: string;
}

/** The dashboard's ranges (the original's table, exactly). */
/**
 * Servers' and rules' names now, looked up when figures are read, as the audit trail's are: a
 * server or rule renamed since its calls shows its new name everywhere; one deleted since keeps
 * the name it had.
 */
export interface MetricsNames {
  server(id: string): string | undefined;
  rule(id: string): { name?: string; path_glob: string; policy?: string; tool_pattern?: string | string[] } | undefined;
}

export type RangeName = '1h' | '6h' | '24h' | '7d';

export interface RangeSpec {
  readonly name: RangeName;
  /** Width of one time bucket, ms. */
  readonly bucketMs: number;
  /** Buckets in the timeseries (the window is `bucketMs × points`, ending with the current bucket). */
  readonly points: number;
  readonly recentCalls: number;
  readonly recentErrors: number;
}

export const RANGES: readonly RangeSpec[] = Object.freeze([
  { name: '1h', bucketMs: 60_000, points: 60, recentCalls: 20, recentErrors: 10 },
  { name: '6h', bucketMs: 300_000, points: 72, recentCalls: 50, recentErrors: 20 },
  { name: '24h', bucketMs: 900_000, points: 96, recentCalls: 50, recentErrors: 20 },
  { name: '7d', bucketMs: 3_600_000, points: 168, recentCalls: 50, recentErrors: 20 },
]);

/** The range a `?range=` value names; anything else (absent, empty, unknown, repeated) means `1h`, as in the original. */
export function rangeOf(value: unknown): RangeSpec {
  return RANGES.find((r) => r.name === value) ?? RANGES[0]!;
}

/** The longest recent lists any range shows: what the rings keep. */
export const RECENT_CALLS_KEPT = Math.max(...RANGES.map((r) => r.recentCalls));
export const RECENT_ERRORS_KEPT = Math.max(...RANGES.map((r) => r.recentErrors));
