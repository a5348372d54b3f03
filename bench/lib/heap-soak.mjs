// The timed soak (issue 21, `--soak-minutes N`): a fresh gateway started with
// `--heapsnapshot-signal=SIGUSR2`, 16 sessions calling `echo` in a closed loop for N minutes, its RSS
// sampled (~20 points), and a heap snapshot at the start (after a warm-up) and at the end. A
// snapshot is taken after a full GC, so its size is the live heap: the growth between the two,
// per call, is what a leak would show (the SDK v1 JSON-response leak keeps ~9 KB per call). The
// constructors whose live size grew most are listed. Bounded by the minutes and a call count; every
// call by its 10 s timeout; each snapshot by a 120 s deadline.
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { call, clientGc, connect } from './clients.mjs';
import { rssKb, sleep } from './proc.mjs';
import { startGateway } from './targets.mjs';

const SNAPSHOT_MS = 120_000;
const MAX_CALLS = 50_000_000;
export const FLAT_HEAP_KB_PER_CALL = 0.1; // ~1 % of the SDK leak's 9 KB per call
export const FLAT_RSS_KB_PER_CALL = 0.5;

async function healthy(url) {
  try {
    const r = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer();
    return r.ok;
  } catch {
    return false;
  }
}

/** SIGUSR2 → a .heapsnapshot in the gateway's cwd (its home); waits for it to be written. */
async function snapshot(gw) {
  const before = new Set(readdirSync(gw.home).filter((f) => f.endsWith('.heapsnapshot')));
  const t0 = Date.now();
  process.kill(gw.pid, 'SIGUSR2');
  let file;
  while (!file) {
    if (Date.now() - t0 > SNAPSHOT_MS) throw new Error('heap snapshot: no file after 120 s');
    await sleep(100);
    file = readdirSync(gw.home).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
  }
  // The snapshot is written on the main thread: once health answers and the size holds, it is done.
  let size = -1;
  for (;;) {
    if (Date.now() - t0 > SNAPSHOT_MS) throw new Error('heap snapshot: not finished after 120 s');
    if ((await healthy(gw.url)) && statSync(path.join(gw.home, file)).size === size && size > 0) break;
    size = statSync(path.join(gw.home, file)).size;
    await sleep(300);
  }
  const full = path.join(gw.home, file);
  const summary = summarizeSnapshot(JSON.parse(readFileSync(full, 'utf8')));
  rmSync(full, { force: true });
  return { ...summary, file_mb: size / 2 ** 20, ms: Date.now() - t0 };
}

/** Live heap size and per-constructor totals from a V8 heap snapshot. */
function summarizeSnapshot(snap) {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const nodes = snap.nodes;
  const byName = new Map();
  let total = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const size = nodes[i + iSize];
    total += size;
    const type = types[nodes[i + iType]];
    const key = type === 'object' || type === 'closure' ? snap.strings[nodes[i + iName]] : `(${type})`;
    const entry = byName.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += size;
    byName.set(key, entry);
  }
  return { heap_kb: total / 1024, nodes: nodes.length / width, byName };
}

function topGrowth(a, b, n = 8) {
  const rows = [];
  for (const [name, end] of b.byName) {
    const start = a.byName.get(name) ?? { count: 0, size: 0 };
    rows.push({ name: name.slice(0, 60), count_delta: end.count - start.count, kb_delta: (end.size - start.size) / 1024 });
  }
  return rows.sort((x, y) => y.kb_delta - x.kb_delta).slice(0, n);
}

/** @returns the soak's RSS series, the heap at start and end, growth per call, and a verdict. */
export async function heapSoak({ minutes, sessions: count = 16, log = () => undefined }) {
  const gw = await startGateway({ nodeArgs: ['--heapsnapshot-signal=SIGUSR2'] });
  const sessions = [];
  try {
    for (let i = 0; i < count; i++) sessions.push(await connect(gw));
    let calls = 0;
    let errors = 0;
    const run = (untilMs) =>
      Promise.all(
        sessions.map(async (s) => {
          while (performance.now() < untilMs && calls < MAX_CALLS) {
            try {
              await call(s.client, gw.tool);
              calls++;
            } catch {
              errors++;
            }
          }
        }),
      );
    await run(performance.now() + 5000); // warm-up: JIT, pools, the cache filling up
    await clientGc();
    log(`soak: heap snapshot at the start (${(rssKb(gw.pid) / 1024).toFixed(0)} MB RSS)`);
    const start = await snapshot(gw);
    const calls0 = calls;
    const series = [{ seconds: 0, calls: 0, rss_kb: rssKb(gw.pid) }];
    const totalMs = minutes * 60_000;
    const stepMs = Math.max(1000, totalMs / 20);
    const t0 = performance.now();
    log(`soak: ${minutes} min on ${count} sessions, RSS every ${(stepMs / 1000).toFixed(0)} s`);
    while (performance.now() - t0 < totalMs - 1) {
      await run(Math.min(t0 + totalMs, performance.now() + stepMs));
      await clientGc();
      series.push({ seconds: (performance.now() - t0) / 1000, calls: calls - calls0, rss_kb: rssKb(gw.pid) });
    }
    const soakCalls = calls - calls0;
    log(`soak: ${soakCalls} calls; heap snapshot at the end`);
    const end = await snapshot(gw);
    const half = series.slice(Math.floor(series.length / 2));
    const trend = slope(half);
    const heapPerCall = (end.heap_kb - start.heap_kb) / Math.max(1, soakCalls);
    return {
      minutes,
      sessions: count,
      calls: soakCalls,
      errors,
      calls_per_sec: soakCalls / ((performance.now() - t0) / 1000),
      rss_start_kb: series[0].rss_kb,
      rss_end_kb: series.at(-1).rss_kb,
      rss_max_kb: Math.max(...series.map((p) => p.rss_kb)),
      rss_trend_kb_per_call: slope(series),
      rss_second_half_trend_kb_per_call: trend,
      heap_start_kb: start.heap_kb,
      heap_end_kb: end.heap_kb,
      heap_growth_kb_per_call: heapPerCall,
      heap_objects_start: start.nodes,
      heap_objects_end: end.nodes,
      snapshot_mb: [start.file_mb, end.file_mb],
      top_growth: topGrowth(start, end),
      flat: heapPerCall <= FLAT_HEAP_KB_PER_CALL && trend <= FLAT_RSS_KB_PER_CALL,
      series,
    };
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
    await gw.stop();
  }
}

/** Least-squares slope of RSS (KB) against calls. */
function slope(points) {
  if (points.length < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.calls, 0) / points.length;
  const my = points.reduce((a, p) => a + p.rss_kb, 0) / points.length;
  const den = points.reduce((a, p) => a + (p.calls - mx) ** 2, 0);
  return den ? points.reduce((a, p) => a + (p.calls - mx) * (p.rss_kb - my), 0) / den : NaN;
}

export function heapSoakLine(s) {
  const mb = (kb) => (kb / 1024).toFixed(1);
  return (
    `soak ${s.minutes} min, ${s.calls} calls on ${s.sessions} sessions (${s.errors} errors): RSS ${mb(s.rss_start_kb)} -> ${mb(s.rss_end_kb)} MB (max ${mb(s.rss_max_kb)}; ` +
    `trend ${s.rss_trend_kb_per_call.toFixed(3)} KB/call, second half ${s.rss_second_half_trend_kb_per_call.toFixed(3)}); ` +
    `heap (live, after GC) ${mb(s.heap_start_kb)} -> ${mb(s.heap_end_kb)} MB = ${s.heap_growth_kb_per_call.toFixed(4)} KB/call ` +
    `(SDK v1 JSON leak: ~9 KB/call); ${s.flat ? 'flat' : 'NOT flat'}\n  heap growth by constructor: ${s.top_growth
      .slice(0, 5)
      .map((g) => `${g.name} ${g.kb_delta >= 0 ? '+' : ''}${g.kb_delta.toFixed(0)} KB (${g.count_delta >= 0 ? '+' : ''}${g.count_delta})`)
      .join(', ')}`
  );
}
