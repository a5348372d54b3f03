import { figures, KeyedAggregates, top, type KeyFigures } from './aggregates.js';
import { RangeBuckets, type TimeseriesPoint, type WindowStats } from './buckets.js';
import { binOf } from './histogram.js';
import { RecentRing, type RecentEntry } from './recent.js';
import { RANGES, RECENT_CALLS_KEPT, RECENT_ERRORS_KEPT, type MetricsCall, type MetricsNames, type RangeSpec } from './types.js';
import { loadState, saveState, type MetricsState } from './state.js';

/** Keys kept per map (tools, servers, route rules); calls of further keys count under `(other)`. */
export const DEFAULT_MAX_KEYS = 1000;

export interface CallMetricsOptions<R> {
  /** A record's fields in audit's vocabulary, for the recent lists (`calls/`'s `callRecordFields`); called off the call path. */
  describe: (record: R) => RecentEntry;
  /** Keys kept per map; default `DEFAULT_MAX_KEYS`. */
  maxKeys?: number;
  /**
   * What a tool name is shown and saved as: its secrets masked (a resource URI's password, a token
   * a client put in a name). Applied when a snapshot or metrics.json is made, never on the call.
   */
  maskText?: (text: string) => string;
  /** The clock, ms since the epoch; default `Date.now`. */
  now?: () => number;
}

/** The part of the dashboard computed from calls (the rest comes from live providers). */
export interface CallFigures {
  recent_calls: RecentEntry[];
  recent_errors: RecentEntry[];
  stats: WindowStats;
  timeseries: TimeseriesPoint[];
  tool_leaderboard: Array<{ tool_name: string; server_name: string } & KeyFigures>;
  server_health: Array<{ server_id: string; server_name: string } & KeyFigures>;
  error_breakdown: Array<{ group_key: string; server_name: string; error_type: 'error' | 'blocked'; count: number }>;
  route_hit_map: Array<{
    route_rule_id: string;
    rule_name: string;
    path_glob: string;
    /** What the rule does: `<policy> <tool patterns>` ('' once the rule is deleted). */
    rule_summary: string;
    hit_count: number;
    error_count: number;
    blocked_count: number;
  }>;
  /** Ours: since when the leaderboard, server health, error breakdown and route hit map count (RFC 3339). */
  aggregates_since: string;
}

const TOP = 10;
/** Index of the coarsest range (7d, 1 h buckets): every finer bucket lies inside one of its buckets. */
const COARSEST = RANGES.length - 1;

/**
 * The dashboard's figures, kept as calls settle: a call record sink whose `record` is O(1) and
 * allocates nothing for a known session, tool, server and rule (a few map reads, typed-array
 * increments, one reference stored in each recent ring). Snapshots read what is kept, never the
 * audit trail. See README.md for what is windowed and what is counted since `aggregates_since`.
 */
export class CallMetrics<R extends MetricsCall> {
  private readonly buckets = RANGES.map((spec) => new RangeBuckets(spec));
  private readonly tools: KeyedAggregates;
  private readonly servers: KeyedAggregates;
  private readonly routes: KeyedAggregates;
  private readonly recentCalls: RecentRing<R>;
  private readonly recentErrors: RecentRing<R>;
  /** Per session / server: the bucket epoch, per range, it was last counted in (distinct counts without sets). */
  private readonly sessionsSeen = new Map<string, Float64Array>();
  private readonly serversSeen = new Map<string, Float64Array>();
  private readonly now: () => number;
  private readonly mask: (text: string) => string;
  private since: number;
  /** Something was recorded since the last `takeChanged()`. */
  private changed = false;

  constructor(options: CallMetricsOptions<R>) {
    const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.mask = options.maskText ?? ((text) => text);
    this.tools = new KeyedAggregates(maxKeys, this.mask);
    this.servers = new KeyedAggregates(maxKeys);
    this.routes = new KeyedAggregates(maxKeys);
    const describe = (record: R): RecentEntry => {
      const server = record.decision?.server ?? record.server;
      return { ...options.describe(record), downstream_server_name: server?.name ?? '', route_rule_summary: record.decision?.rule?.path_glob ?? '' };
    };
    this.recentCalls = new RecentRing(RECENT_CALLS_KEPT, describe);
    this.recentErrors = new RecentRing(RECENT_ERRORS_KEPT, describe);
    this.now = options.now ?? Date.now;
    this.since = this.now();
  }

  /** The sink side: counts one settled call. Never throws on a well-typed record. */
  record(record: R): void {
    const latency = record.latencyMs >= 0 ? record.latencyMs : 0;
    const at = record.startedAt + latency;
    const bin = binOf(latency);
    const status = record.status;
    const server = record.decision?.server ?? record.server;
    const sessionSeen = seenOf(this.sessionsSeen, record.sessionId);
    const serverSeen = server === undefined ? undefined : seenOf(this.serversSeen, server.id);
    for (let i = 0; i < this.buckets.length; i++) {
      const buckets = this.buckets[i]!;
      const epoch = buckets.epochOf(at);
      const newSession = epoch > sessionSeen[i]!;
      if (newSession) sessionSeen[i] = epoch;
      const newServer = serverSeen !== undefined && epoch > serverSeen[i]!;
      if (newServer) serverSeen[i] = epoch;
      buckets.add(epoch, status, latency, bin, newSession, newServer);
    }
    const tool = this.tools.of(record.name);
    KeyedAggregates.add(tool, status, latency, bin);
    if (server !== undefined) {
      tool.serverId = server.id;
      tool.serverName = server.name;
      const health = this.servers.of(server.id);
      KeyedAggregates.add(health, status, latency, bin);
      health.serverId = server.id;
      health.serverName = server.name;
    }
    const rule = record.decision?.rule;
    if (rule !== undefined) {
      const hits = this.routes.of(rule.id);
      KeyedAggregates.add(hits, status, latency, bin);
      hits.ruleName = rule.name;
      hits.pathGlob = rule.path_glob;
    }
    this.recentCalls.push(record, at);
    if (status !== 'success') this.recentErrors.push(record, at);
    this.changed = true;
  }

  /** The figures of `range` at this moment. Reads only what is kept; changes nothing a later snapshot sees. */
  figures(range: RangeSpec, names?: MetricsNames): CallFigures {
    const now = this.now();
    const serverName = (id: string | undefined, kept: string | undefined) => (id === undefined ? undefined : names?.server(id)) ?? kept ?? '';
    const current = (entry: object) => (names ? renamed(entry, names) : entry);
    const buckets = this.buckets[RANGES.indexOf(range)]!;
    const windowStart = (buckets.epochOf(now) - range.points + 1) * range.bucketMs;
    const tools = [...this.tools.values()];
    const errors = tools.flatMap((t) => [
      ...(t.errors > 0
        ? [{ group_key: this.mask(t.key), server_name: serverName(t.serverId, t.serverName), error_type: 'error' as const, count: t.errors }]
        : []),
      ...(t.blocked > 0
        ? [{ group_key: this.mask(t.key), server_name: serverName(t.serverId, t.serverName), error_type: 'blocked' as const, count: t.blocked }]
        : []),
    ]);
    return {
      recent_calls: this.recentCalls.list(range.recentCalls, windowStart).map(current),
      recent_errors: this.recentErrors.list(range.recentErrors, windowStart).map(current),
      stats: buckets.stats(now),
      timeseries: buckets.timeseries(now),
      tool_leaderboard: top(
        tools,
        (t) => t.calls,
        (t) => t.key,
        TOP,
      ).map((t) => ({ tool_name: this.mask(t.key), server_name: serverName(t.serverId, t.serverName), ...figures(t) })),
      server_health: top(
        [...this.servers.values()],
        (s) => s.calls,
        (s) => s.key,
      ).map((s) => ({
        server_id: s.key,
        server_name: serverName(s.key, s.serverName),
        ...figures(s),
      })),
      error_breakdown: top(
        errors,
        (e) => e.count,
        (e) => `${e.group_key}\u0000${e.error_type}`,
        TOP,
      ),
      route_hit_map: top(
        [...this.routes.values()],
        (r) => r.calls,
        (r) => r.key,
      ).map((r) => ({
        route_rule_id: r.key,
        rule_name: (names?.rule(r.key) ? names.rule(r.key)!.name : r.ruleName) ?? '',
        path_glob: names?.rule(r.key)?.path_glob ?? r.pathGlob ?? '',
        rule_summary: ruleSummary(names?.rule(r.key)),
        hit_count: r.calls,
        error_count: r.errors,
        blocked_count: r.blocked,
      })),
      aggregates_since: new Date(this.since).toISOString(),
    };
  }

  /** Whether anything was recorded since the last call (and clears the mark). */
  takeChanged(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  /** Everything kept, for metrics.json; also forgets sessions and servers not seen in the current hour. */
  save(): MetricsState {
    const hour = this.buckets[COARSEST]!.epochOf(this.now());
    for (const seen of [this.sessionsSeen, this.serversSeen]) for (const [id, epochs] of seen) if (epochs[COARSEST]! < hour) seen.delete(id);
    return saveState({
      since: this.since,
      buckets: this.buckets,
      tools: this.tools,
      servers: this.servers,
      routes: this.routes,
      recentCalls: this.recentCalls,
      recentErrors: this.recentErrors,
      serversSeen: this.serversSeen,
    });
  }

  /** Adds what metrics.json held (at start, before any call); malformed parts are skipped. */
  load(state: unknown): void {
    const since = loadState(state, {
      buckets: this.buckets,
      tools: this.tools,
      servers: this.servers,
      routes: this.routes,
      recentCalls: this.recentCalls,
      recentErrors: this.recentErrors,
      serversSeen: this.serversSeen,
    });
    if (since !== undefined && since < this.since) this.since = since;
  }

  /** Keys kept per map now (for tests of the bound). */
  keyCounts(): { tools: number; servers: number; routes: number } {
    return { tools: this.tools.size, servers: this.servers.size, routes: this.routes.size };
  }
}

/** A recent call's entry with the names of its server and rule as they are now (when they still exist). */
function renamed(entry: object, names: MetricsNames): object {
  const e = entry as { downstream_server_id?: string | null; route_rule_id?: string | null; downstream_server_name?: string; route_rule_summary?: string };
  const server = e.downstream_server_id ? names.server(e.downstream_server_id) : undefined;
  const rule = e.route_rule_id ? names.rule(e.route_rule_id) : undefined;
  if (server === undefined && rule === undefined) return entry;
  return {
    ...entry,
    ...(server === undefined ? {} : { downstream_server_name: server }),
    ...(rule === undefined ? {} : { route_rule_summary: rule.path_glob }),
  };
}

function seenOf(map: Map<string, Float64Array>, id: string): Float64Array {
  let epochs = map.get(id);
  if (epochs === undefined) {
    epochs = new Float64Array(RANGES.length).fill(-1);
    map.set(id, epochs);
  }
  return epochs;
}

/**
 * What a rule does, in a few words (`deny ev__*`, `approve gh__create_*, gh__delete_*`): an
 * unnamed rule was shown by its id alone (a UUID), which told a trial nothing. '' for a rule
 * deleted since (its id and last name are all that is left).
 */
function ruleSummary(rule: { policy?: string; tool_pattern?: string | string[] } | undefined): string {
  if (!rule?.policy || rule.tool_pattern === undefined) return '';
  return `${rule.policy} ${Array.isArray(rule.tool_pattern) ? rule.tool_pattern.join(', ') : rule.tool_pattern}`;
}
