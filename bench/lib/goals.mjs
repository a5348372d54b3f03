// The goal table of issue 21: each goal, its figure, the same-run reference, the ratio, met or not.
// A goal whose part did not run is listed as "not measured" (e.g. activation without --vscode).
import { AUDIT_GOALS } from './audit-store.mjs';
import { LIST_GOAL_MS, RSS_GOAL_MB } from './fleet.mjs';
import { FLAT_HEAP_KB_PER_CALL, FLAT_RSS_KB_PER_CALL } from './heap-soak.mjs';

const row = (goal, figure, reference, ratio, met, unit = '') => ({ goal, figure, reference, ratio, met, unit });
const none = (goal, why) => ({ goal, figure: null, reference: null, ratio: null, met: null, note: why });
// A part that failed is kept as { error }: its goals say so.
const ok = (part) => (part && !part.error ? part : undefined);
const failed = (part, why) => (part?.error ? `failed: ${part.error.split('\n')[0].slice(0, 120)}` : why);

/** @param result the run's JSON (rows, fleet, soak, startup, activation, audit_store) */
export function goals(result) {
  const by = (id) => result.rows?.find((r) => r.id === id);
  const gw = by('gateway');
  const floor = by('floor');
  const bare = by('bare-json');
  const out = [];

  if (gw?.added_p50_ms !== undefined && floor?.added_p50_ms !== undefined) {
    const ratio = gw.added_p50_ms / floor.added_p50_ms;
    out.push({ ...row("added p50 (gateway − direct) ≤ 1.3 × the floor's added", gw.added_p50_ms, floor.added_p50_ms, ratio, ratio <= 1.3, 'ms'), limit: 1.3 });
  } else out.push(none("added p50 ≤ 1.3 × the floor's added", 'needs direct, floor and gateway'));

  if (gw?.latency && bare?.latency) {
    const ratio = gw.latency.p99_ms / bare.latency.p99_ms;
    out.push({ ...row("p99 ≤ the SDK bare leg's (b)", gw.latency.p99_ms, bare.latency.p99_ms, ratio, ratio <= 1, 'ms'), limit: 1 });
  } else out.push(none("p99 ≤ the SDK bare leg's", 'needs bare-json and gateway'));

  const c16 = gw?.concurrency?.[16];
  const f16 = floor?.concurrency?.[16];
  if (c16?.server_cpu_ms_per_call && f16?.server_cpu_ms_per_call) {
    const ratio = c16.server_cpu_ms_per_call / f16.server_cpu_ms_per_call;
    out.push({
      ...row("gateway CPU per call @16 sessions ≤ 1.5 × the floor's", c16.server_cpu_ms_per_call, f16.server_cpu_ms_per_call, ratio, ratio <= 1.5, 'ms'),
      limit: 1.5,
    });
  } else out.push(none("CPU per call @16 ≤ 1.5 × the floor's", 'needs the concurrency phase at 16 (floor, gateway)'));

  // Context, not goals: the relay floor is the floor plus the least any gateway with a stdio
  // downstream adds (a write to the child, a read of its answer, a parse for the id). The floor
  // itself never crosses a process; these say how near the gateway is to what the hop allows.
  const relay = by('relay');
  if (gw?.added_p50_ms !== undefined && relay?.added_p50_ms !== undefined)
    out.push(
      row(
        "context: added p50 against the relay floor's (the floor + one stdio hop)",
        gw.added_p50_ms,
        relay.added_p50_ms,
        gw.added_p50_ms / relay.added_p50_ms,
        null,
        'ms',
      ),
    );
  const r16 = relay?.concurrency?.[16];
  if (c16?.server_cpu_ms_per_call && r16?.server_cpu_ms_per_call)
    out.push(
      row(
        "context: CPU per call @16 sessions against the relay floor's",
        c16.server_cpu_ms_per_call,
        r16.server_cpu_ms_per_call,
        c16.server_cpu_ms_per_call / r16.server_cpu_ms_per_call,
        null,
        'ms',
      ),
    );

  const c64 = gw?.concurrency?.[64];
  if (c64) out.push(row('0 errors @64 sessions (gateway)', c64.errors, null, null, c64.errors === 0, `errors in ${c64.calls} calls`));
  else out.push(none('0 errors @64 sessions', 'needs the concurrency phase at 64'));
  const k64 = by('gateway-connect')?.concurrency?.[64];
  if (k64) out.push(row('0 errors @64 sessions (through mcplexer connect)', k64.errors, null, null, k64.errors === 0, `errors in ${k64.calls} calls`));

  const s = ok(result.soak);
  if (s)
    out.push({
      ...row(
        `memory flat over a ${s.minutes}-min soak (live heap ≤ ${FLAT_HEAP_KB_PER_CALL} KB/call, RSS 2nd-half trend ≤ ${FLAT_RSS_KB_PER_CALL} KB/call)`,
        s.heap_growth_kb_per_call,
        9,
        s.heap_growth_kb_per_call / 9,
        s.flat,
        'KB/call heap (ref: the SDK v1 JSON leak, ~9)',
      ),
      rss_second_half_trend_kb_per_call: s.rss_second_half_trend_kb_per_call,
    });
  else out.push(none('memory flat over the soak', failed(result.soak, 'needs --soak-minutes > 0')));

  const f = { rss: ok(result.fleet?.rss), list: ok(result.fleet?.list) };
  if (f.rss)
    out.push(
      row(
        `RSS ≤ ${RSS_GOAL_MB} MB with ${f.rss.downstreams} connected downstreams (children excluded)`,
        f.rss.rss_kb / 1024,
        RSS_GOAL_MB,
        f.rss.rss_kb / 1024 / RSS_GOAL_MB,
        f.rss.rss_kb / 1024 <= RSS_GOAL_MB,
        'MB',
      ),
    );
  else out.push(none('RSS ≤ 120 MB with 20 downstreams', failed(result.fleet?.rss, 'needs the fleet phase')));
  if (f.list) {
    // The gateway's figure is the request on the wire (body read, not parsed); the SDK client's
    // time adds its own zod validation of every tool, shown on the next row.
    const wire = f.list.list_raw ?? f.list.list;
    out.push(
      row(
        `tools/list ${f.list.downstreams}×${f.list.tools_per_downstream} p50 warm ≤ ${LIST_GOAL_MS} ms (one POST on the session, body read)`,
        wire.p50_ms,
        LIST_GOAL_MS,
        wire.p50_ms / LIST_GOAL_MS,
        wire.p50_ms <= LIST_GOAL_MS,
        'ms',
      ),
    );
    out.push(row('the same through the SDK v1 client (with its validation; reported)', f.list.list.p50_ms, null, null, null, 'ms'));
    out.push(row(`cold discovery of ${f.list.downstreams} servers in parallel (reported)`, f.list.cold_discovery_parallel_ms, null, null, null, 'ms'));
  } else out.push(none('tools/list 50×40 ≤ 5 ms p50', failed(result.fleet?.list, 'needs the fleet phase')));

  if (result.startup) {
    const cold = result.startup.cold.median_ms;
    out.push(
      row(
        `daemon cold start to healthy ≤ ${result.startup.goal_ms} ms (median)`,
        cold,
        result.startup.goal_ms,
        cold / result.startup.goal_ms,
        cold <= result.startup.goal_ms,
        'ms',
      ),
    );
  } else out.push(none('cold start ≤ 400 ms', 'needs --startup-runs > 0'));

  if (ok(result.activation)) {
    const a = result.activation;
    out.push(
      row(
        `extension activation ≤ ${a.goal_ms} ms (VS Code ${a.vscode})`,
        a.activate_ms,
        a.goal_ms,
        a.activate_ms / a.goal_ms,
        a.activate_ms <= a.goal_ms,
        'ms',
      ),
    );
  } else out.push(none('extension activation ≤ 100 ms', failed(result.activation, 'needs --vscode')));

  const au = ok(result.audit_store)?.figures;
  if (au) {
    out.push(
      row(
        `audit ingest ≥ ${AUDIT_GOALS.ingest_per_sec} records/s`,
        au.ingest_per_sec,
        AUDIT_GOALS.ingest_per_sec,
        au.ingest_per_sec / AUDIT_GOALS.ingest_per_sec,
        au.ingest_per_sec >= AUDIT_GOALS.ingest_per_sec,
        'records/s',
      ),
    );
    const q = au.worst_filtered_query;
    out.push(
      row(
        `filtered audit query on 1 M ≤ ${AUDIT_GOALS.filtered_query_ms} ms (slowest: ${q.label})`,
        q.p50_ms,
        AUDIT_GOALS.filtered_query_ms,
        q.p50_ms / AUDIT_GOALS.filtered_query_ms,
        q.p50_ms <= AUDIT_GOALS.filtered_query_ms,
        'ms',
      ),
    );
    out.push(
      row(
        `7d dashboard snapshot at 1 M ≤ ${AUDIT_GOALS.snapshot_ms} ms`,
        au.snapshot_7d_ms,
        AUDIT_GOALS.snapshot_ms,
        au.snapshot_7d_ms / AUDIT_GOALS.snapshot_ms,
        au.snapshot_7d_ms <= AUDIT_GOALS.snapshot_ms,
        'ms',
      ),
    );
  } else out.push(none('audit ingest / query / snapshot', failed(result.audit_store, 'needs --audit-store')));
  return out;
}

const num = (v) =>
  v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);

/** A Markdown table (the same rows go to docs/benchmarks.md). */
export function goalTable(list) {
  const lines = ['| goal | figure | same-run reference | ratio | met |', '|---|--:|--:|--:|:-:|'];
  for (const g of list) {
    if (g.figure === null) lines.push(`| ${g.goal} | not measured (${g.note}) | | | — |`);
    else
      lines.push(
        `| ${g.goal} | ${num(g.figure)} ${g.unit} | ${num(g.reference)} | ${g.ratio === null ? '—' : `${num(g.ratio)}×`} | ${g.met === null ? 'reported' : g.met ? '**met**' : 'not met'} |`,
      );
  }
  return lines.join('\n');
}
