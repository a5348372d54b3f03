// SDK v1 clients (as the architecture's figures were measured) and the measuring loops.
// Every loop is bounded by a count and by a deadline.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { cpuOfLiving, cpuSplit, forget, rssKb, track, withTimeout } from './proc.mjs';
import { summarize } from './report.mjs';

export const EVERYTHING = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
const CONNECT_MS = 20_000;

// The v1 HTTP client passes one AbortSignal (per transport) to every fetch, and undici removes
// its abort listener only when the Request is garbage-collected: over a long session thousands
// pile up (O(n) adds, a MaxListenersExceededWarning per call past 1500), slowing the client.
// A full GC in the client between timed stretches (never inside one) clears them.
setFlagsFromString('--expose-gc');
const fullGc = runInNewContext('gc');
/** Full GC of the bench process, then a turn for the finalizers that remove the listeners. */
export async function clientGc() {
  fullGc();
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * A connected v1 client for a target (`stdio`: spawns `target.command`/`target.args`, by default
 * server-everything itself; `gateway-connect` spawns `mcplexer connect`). `pid` is the stdio child's.
 */
export async function connect(target) {
  const client = new Client({ name: 'mcplexer-bench', version: '1.0.0' });
  let transport;
  if (target.kind === 'stdio') {
    transport = new StdioClientTransport({
      command: target.command ?? process.execPath,
      args: target.args ?? [EVERYTHING, 'stdio'],
      ...(target.env ? { env: target.env } : {}),
      stderr: 'ignore',
    });
  } else if (target.kind === 'sse') {
    // Legacy HTTP+SSE (peers such as mcp-hub): GET <url>/mcp for the stream, POSTs to the endpoint it names.
    transport = new SSEClientTransport(new URL(`${target.url}/mcp`));
  } else {
    const headers = target.token ? { authorization: `Bearer ${target.token}` } : {};
    transport = new StreamableHTTPClientTransport(new URL(`${target.url}/mcp`), { requestInit: { headers } });
  }
  await withTimeout(client.connect(transport), CONNECT_MS, `connect to ${target.id}`);
  if (target.kind === 'stdio') track(transport.pid);
  const { tools } = await withTimeout(client.listTools(), CONNECT_MS, `tools/list on ${target.id}`);
  if (!tools.some((t) => t.name === target.tool)) throw new Error(`${target.id}: tools/list has no "${target.tool}"`);
  return {
    client,
    pid: target.kind === 'stdio' ? transport.pid : null,
    async close() {
      if (transport.terminateSession) await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
      // The SDK's close ends the child (stdin closed, then SIGTERM, then SIGKILL): its pid may be reused.
      if (target.kind === 'stdio') forget(transport.pid);
    },
  };
}

let counter = 0;
/** One `echo` call with a 10 s timeout; throws unless the reply is the message echoed. */
export async function call(client, tool) {
  const message = `hello ${++counter}`;
  const result = await client.callTool({ name: tool, arguments: { message } }, undefined, { timeout: 10_000 });
  const text = result.content?.[0]?.text;
  if (text !== `Echo: ${message}`) throw new Error(`unexpected echo result: ${JSON.stringify(result).slice(0, 300)}`);
}

/**
 * Sequential latency, interleaved: one session per target, warm-up on each, then `rounds` rounds
 * in which every target makes calls/rounds timed calls (the order rotating each round), so that
 * a change in background load hits every target alike. Latencies in ms, per target id.
 */
export async function latencyInterleaved(targets, { warmup, calls, rounds, budgetMs }) {
  const deadline = Date.now() + budgetMs;
  const sessions = [];
  try {
    for (const target of targets) sessions.push({ target, session: await connect(target), samples: [] });
    for (const s of sessions) for (let i = 0; i < warmup && Date.now() < deadline; i++) await call(s.session.client, s.target.tool);
    const perRound = Math.ceil(calls / rounds);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < sessions.length; k++) {
        await clientGc();
        const s = sessions[(k + round) % sessions.length];
        const n = Math.min(perRound, calls - s.samples.length);
        for (let i = 0; i < n; i++) {
          if (Date.now() > deadline) throw new Error(`${s.target.id}: latency run over its ${budgetMs} ms budget`);
          const t0 = performance.now();
          await call(s.session.client, s.target.tool);
          s.samples.push(performance.now() - t0);
        }
      }
    }
    return new Map(sessions.map((s) => [s.target.id, s.samples]));
  } finally {
    await Promise.allSettled(sessions.map((s) => s.session.close()));
  }
}

/** Runs `perSession` calls on each session at once; returns the wall time in ms. */
async function burst(sessions, tool, perSession, deadline, samples) {
  const t0 = performance.now();
  await Promise.all(
    sessions.map(async (s) => {
      for (let i = 0; i < perSession; i++) {
        if (Date.now() > deadline) throw new Error(`concurrent run over its budget after ${i} calls on a session`);
        const c0 = performance.now();
        await call(s.client, tool);
        samples?.push(performance.now() - c0);
      }
    }),
  );
  return performance.now() - t0;
}

async function openSessions(target, count) {
  const sessions = [];
  try {
    for (let i = 0; i < count; i++) sessions.push(await connect(target));
  } catch (error) {
    await Promise.allSettled(sessions.map((s) => s.close()));
    throw error;
  }
  return sessions;
}

/**
 * CPU per call of the server process (and of its downstream, if any) under `sessions` concurrent
 * sessions, each making `perSession` calls, read from /proc before and after. With `rounds` > 1
 * the calls are made in that many rounds of `perSession` each and summed (see `cpuInterleaved`).
 */
export async function cpuPerCall(target, options) {
  return (await cpuInterleaved([target], options)).get(target.id);
}

/**
 * CPU per call of several targets measured in `rounds` interleaved rounds: one set of sessions per
 * target (opened and warmed first), then per round every target makes its `sessions` x
 * `perSession` calls in turn, the order rotating each round, so that a change in background load
 * hits every target alike. /proc is read around each target's burst; the rounds are summed, and
 * each round's figure is kept (`rounds`).
 */
export async function cpuInterleaved(targets, { sessions: count, perSession, rounds = 1, budgetMs }) {
  const deadline = Date.now() + budgetMs * rounds * targets.length;
  const open = [];
  try {
    for (const target of targets) {
      const sessions = await openSessions(target, count);
      open.push({ target, sessions, samples: [], wallMs: 0, sum: { user: 0, sys: 0, involuntary: 0, downstream: 0 }, rounds: [] });
      await burst(sessions, target.tool, Math.min(20, perSession), deadline);
    }
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < open.length; k++) {
        const o = open[(k + round) % open.length];
        await clientGc();
        // Every downstream process: the gateway may run several instances of one server (one per
        // client capability set, and one for discovery), and the calls go to one of them.
        // Only those alive at both readings count: one that exits mid-burst is left out.
        const downstream = o.target.downstreamPids?.() ?? [];
        await o.target.settle?.(); // what earlier bursts left (an audit batch) is not this burst's
        const before = { server: cpuSplit(o.target.pid), downstream: cpuOfLiving(downstream) };
        o.wallMs += await burst(o.sessions, o.target.tool, perSession, deadline, o.samples);
        await o.target.settle?.(); // this burst's own leftovers are counted in it
        const after = { server: cpuSplit(o.target.pid), downstream: cpuOfLiving(downstream) };
        for (const key of ['user', 'sys', 'involuntary']) o.sum[key] += after.server[key] - before.server[key];
        let downstreamMs = 0;
        for (const [pid, ms] of after.downstream) if (before.downstream.has(pid)) downstreamMs += ms - before.downstream.get(pid);
        o.sum.downstream += downstream.length > 0 ? downstreamMs : NaN;
        const roundCalls = count * perSession;
        o.rounds.push((after.server.user - before.server.user + after.server.sys - before.server.sys) / roundCalls);
      }
    }
    return new Map(
      open.map((o) => {
        const calls = count * perSession * rounds;
        const per = (key) => o.sum[key] / calls;
        return [
          o.target.id,
          {
            sessions: count,
            calls,
            rounds: o.rounds,
            server_cpu_ms_per_call: per('user') + per('sys'),
            server_user_ms_per_call: per('user'),
            server_sys_ms_per_call: per('sys'),
            server_involuntary_switches_per_call: per('involuntary'),
            downstream_cpu_ms_per_call: Number.isNaN(o.sum.downstream) ? null : o.sum.downstream / calls,
            calls_per_sec: (calls * 1000) / o.wallMs,
            latency_under_load: summarize(o.samples),
          },
        ];
      }),
    );
  } finally {
    await Promise.allSettled(open.flatMap((o) => o.sessions.map((s) => s.close())));
  }
}

/** RSS of the server before and after `total` calls over `count` sessions, with checkpoints. */
export async function soak(target, { sessions: count, total, checkpoints = 8, budgetMs }) {
  const deadline = Date.now() + budgetMs;
  const sessions = await openSessions(target, count);
  try {
    await burst(sessions, target.tool, 50, deadline);
    await clientGc();
    const series = [{ calls: 0, rss_kb: rssKb(target.pid) }];
    const perSessionStep = Math.max(1, Math.round(total / count / checkpoints));
    let done = 0;
    const t0 = performance.now();
    for (let step = 0; step < checkpoints; step++) {
      await clientGc();
      await burst(sessions, target.tool, perSessionStep, deadline);
      done += perSessionStep * count;
      series.push({ calls: done, rss_kb: rssKb(target.pid) });
    }
    const wallMs = performance.now() - t0;
    const first = series[0].rss_kb;
    const last = series.at(-1).rss_kb;
    const mid = series[Math.floor(checkpoints / 2)];
    // Least-squares slope over all checkpoints: steadier than two end points when GC makes RSS swing.
    const mx = series.reduce((a, p) => a + p.calls, 0) / series.length;
    const my = series.reduce((a, p) => a + p.rss_kb, 0) / series.length;
    const slope = series.reduce((a, p) => a + (p.calls - mx) * (p.rss_kb - my), 0) / series.reduce((a, p) => a + (p.calls - mx) ** 2, 0);
    return {
      sessions: count,
      calls: done,
      seconds: wallMs / 1000,
      rss_before_kb: first,
      rss_after_kb: last,
      growth_kb_per_call: (last - first) / done,
      // The second half excludes one-off growth (JIT, pools, caches filling up).
      second_half_kb_per_call: (last - mid.rss_kb) / (done - mid.calls),
      trend_kb_per_call: slope,
      rss_min_kb: Math.min(...series.map((p) => p.rss_kb)),
      rss_max_kb: Math.max(...series.map((p) => p.rss_kb)),
      series,
    };
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
}
