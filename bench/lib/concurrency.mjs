// Time-bounded concurrency (issue 21): N concurrent sessions per target, each its own v1 Client,
// transport and session id, calling `echo` in a closed loop: a warm-up, then a measured window.
// calls/s, errors, latency under load, and CPU per call of the server process and of its whole
// process tree (the server and its descendants: downstreams), utime+stime from /proc before and
// after the window. For `gateway-connect` the bridges (`mcplexer connect`, one per session, children
// of the bench) are read too and reported apart. Every loop is bounded by the window and a call
// count; every call by its 10 s timeout.
import { performance } from 'node:perf_hooks';
import { call, clientGc, connect } from './clients.mjs';
import { childrenOf, cpuOfLiving as cpuOf, cpuSplit } from './proc.mjs';
import { summarize } from './report.mjs';

const MAX_CALLS_PER_SESSION = 1_000_000;
const OPEN_BATCH = 8; // sessions opened at once (64 bridges spawned one by one would take long on 2 cores)

/** The pid and all its descendants. */
export function treePids(pid) {
  const out = [];
  const stack = [pid];
  while (stack.length && out.length < 10_000) {
    const p = stack.pop();
    out.push(p);
    stack.push(...childrenOf(p));
  }
  return out;
}

/** CPU used between two readings; a process started in between counts whole, one that exited is lost. */
function cpuDelta(before, after) {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

async function openMany(target, count) {
  const sessions = [];
  try {
    for (let i = 0; i < count; i += OPEN_BATCH) {
      const batch = await Promise.allSettled(Array.from({ length: Math.min(OPEN_BATCH, count - i) }, () => connect(target)));
      for (const r of batch) if (r.status === 'fulfilled') sessions.push(r.value);
      const failed = batch.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (error) {
    await Promise.allSettled(sessions.map((s) => s.close()));
    throw error;
  }
  return sessions;
}

/** Every session calls in a loop until `untilMs` (performance.now()); counts calls and errors. */
async function loop(sessions, tool, untilMs, stats) {
  await Promise.all(
    sessions.map(async (s) => {
      for (let i = 0; i < MAX_CALLS_PER_SESSION && performance.now() < untilMs; i++) {
        const c0 = performance.now();
        try {
          await call(s.client, tool);
          stats.samples?.push(performance.now() - c0);
          stats.calls++;
        } catch (error) {
          stats.errors++;
          stats.firstError ??= String(error.message ?? error).slice(0, 300);
        }
      }
    }),
  );
}

/** One target at one level: open the sessions, warm up, measure, close. */
export async function concurrent(target, { sessions: count, warmupMs = 1000, measureMs = 10_000 }) {
  const sessions = await openMany(target, count);
  try {
    await loop(sessions, target.tool, performance.now() + warmupMs, { calls: 0, errors: 0 });
    await clientGc();
    await target.settle?.(); // the warm-up's audit batch is written before the window (targets.mjs)
    const tree0 = cpuOf(treePids(target.pid));
    const server0 = cpuSplit(target.pid);
    const bridges = sessions.map((s) => s.pid).filter(Boolean);
    const bridge0 = cpuOf(bridges);
    const stats = { calls: 0, errors: 0, samples: [] };
    const t0 = performance.now();
    await loop(sessions, target.tool, t0 + measureMs, stats);
    const wallMs = performance.now() - t0;
    await target.settle?.(); // and the window's own last batch inside it
    const server1 = cpuSplit(target.pid);
    const tree = cpuDelta(tree0, cpuOf(treePids(target.pid)));
    const bridge = cpuDelta(bridge0, cpuOf(bridges));
    const server = server1.user - server0.user + server1.sys - server0.sys;
    const per = (ms) => (stats.calls > 0 ? ms / stats.calls : null);
    return {
      sessions: count,
      seconds: wallMs / 1000,
      calls: stats.calls,
      errors: stats.errors,
      first_error: stats.firstError ?? null,
      calls_per_sec: (stats.calls * 1000) / wallMs,
      server_cpu_ms_per_call: per(server),
      server_user_ms_per_call: per(server1.user - server0.user),
      server_sys_ms_per_call: per(server1.sys - server0.sys),
      tree_cpu_ms_per_call: per(tree),
      ...(bridges.length ? { bridge_cpu_ms_per_call: per(bridge), bridges: bridges.length } : {}),
      latency_under_load: stats.samples.length ? summarize(stats.samples) : null,
    };
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
}

/**
 * Every target (with a server pid) at each level, the targets' order rotating per level and round.
 * @returns Map<id, { [level]: result }> (with rounds > 1, the calls, errors and CPU summed over rounds)
 */
export async function concurrencyInterleaved(targets, { levels = [16, 64], warmupMs = 1000, measureMs = 10_000, rounds = 1, log = () => undefined }) {
  const servers = targets.filter((t) => t.pid);
  const out = new Map(servers.map((t) => [t.id, {}]));
  let turn = 0;
  for (const level of levels) {
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < servers.length; k++) {
        const target = servers[(k + turn) % servers.length];
        log(`concurrency: ${target.id}, ${level} sessions, ${warmupMs} ms warm-up + ${measureMs} ms measured`);
        const r = await concurrent(target, { sessions: level, warmupMs, measureMs });
        const prev = out.get(target.id)[level];
        out.get(target.id)[level] = prev ? merge(prev, r) : r;
      }
      turn++;
    }
  }
  return out;
}

function merge(a, b) {
  const calls = a.calls + b.calls;
  const w = (key) => (a[key] === null || b[key] === null || a[key] === undefined ? a[key] : (a[key] * a.calls + b[key] * b.calls) / calls);
  const merged = { ...b, seconds: a.seconds + b.seconds, calls, errors: a.errors + b.errors, first_error: a.first_error ?? b.first_error };
  for (const key of ['server_cpu_ms_per_call', 'server_user_ms_per_call', 'server_sys_ms_per_call', 'tree_cpu_ms_per_call', 'bridge_cpu_ms_per_call'])
    merged[key] = w(key);
  merged.calls_per_sec = calls / merged.seconds;
  return merged;
}

/** The printed table: per target and level, calls/s, errors, server and tree CPU per call. */
export function concurrencyTable(rows, levels) {
  const f = (v, d = 3) => (v === null || v === undefined ? '—' : v.toFixed(d));
  const lines = [`| target | ${levels.map((l) => `@${l} calls/s | errors | srv CPU ms/call | tree CPU ms/call | p99 ms`).join(' | ')} |`];
  lines.push(`|---|${levels.map(() => '--:|--:|--:|--:|--:').join('|')}|`);
  for (const r of rows) {
    if (!r.concurrency) continue;
    const cells = levels.map((l) => {
      const c = r.concurrency[l];
      if (!c) return '— | — | — | — | —';
      const bridge = c.bridge_cpu_ms_per_call !== undefined ? ` (+bridges ${f(c.bridge_cpu_ms_per_call)})` : '';
      return `${Math.round(c.calls_per_sec)} | ${c.errors} | ${f(c.server_cpu_ms_per_call)} | ${f(c.tree_cpu_ms_per_call)}${bridge} | ${f(c.latency_under_load?.p99_ms, 1)}`;
    });
    lines.push(`| ${r.id} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
