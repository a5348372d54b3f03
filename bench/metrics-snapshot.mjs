// Dashboard snapshot bench (issue 17): feeds N synthetic settled call records (default 1,000,000,
// spread evenly over the last 7 days: 200 tools on 10 servers, 20 route rules, 50 sessions, 90 %
// success, 6 % error, 4 % blocked, log-normal latencies) to the metrics sink, then times the
// sink per record and the 7d snapshot (median and max of 20), plus one save of metrics.json.
// Usage: node bench/metrics-snapshot.mjs [--calls N] [--out file]   (results: docs/benchmarks.md)
import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const arg = (flag, fallback) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const CALLS = Number(arg('--calls', 1_000_000));

const work = mkdtempSync(path.join(tmpdir(), 'mcplexer-bench-metrics-'));
try {
  const bundle = path.join(work, 'metrics.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'src/gateway/metrics/index.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  const { openMetrics, dashboardSnapshot, RANGES, ZERO_APPROVAL_METRICS, ZERO_CACHE_STATS } = await import(pathToFileURL(bundle).href);

  const now = Date.now();
  const logger = { debug() {}, info() {}, warn: console.warn, error: console.error, setLevel() {} };
  const metrics = openMetrics({
    dataDir: work,
    logger,
    now: () => now,
    saveIntervalMs: 3_600_000,
    describe: (r) => ({ timestamp: new Date(r.startedAt).toISOString(), tool_name: r.name, status: r.status, latency_ms: r.latencyMs }),
  });

  const servers = Array.from({ length: 10 }, (_, i) => ({ id: `srv-${i}`, name: `Server ${i}` }));
  const rules = Array.from({ length: 20 }, (_, i) => ({ id: `rule-${i}`, name: `rule ${i}`, path_glob: i % 2 ? '**' : 'src/**' }));
  const tools = Array.from({ length: 200 }, (_, i) => `ns${i % 10}__tool_${i}`);
  const sessions = Array.from({ length: 50 }, (_, i) => `session-${i}`);
  // Prebuilt records (as the pipeline hands them over: one object per call, built before the sink sees it).
  const span = 7 * 24 * 3_600_000;
  const records = new Array(CALLS);
  let seed = 42;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < CALLS; i++) {
    const r = rand();
    const tool = i % tools.length;
    const latencyMs = Math.exp(Math.log(0.4) + 1.2 * (rand() + rand() + rand() - 1.5));
    records[i] = {
      startedAt: now - span + (span * i) / CALLS,
      latencyMs,
      sessionId: sessions[i % sessions.length],
      name: tools[tool],
      server: servers[tool % servers.length],
      decision: { rule: rules[tool % rules.length], server: servers[tool % servers.length] },
      status: r < 0.9 ? 'success' : r < 0.96 ? 'error' : 'blocked',
      result: undefined,
    };
  }

  const feedStart = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) metrics.record(records[i]);
  const feedMs = Number(process.hrtime.bigint() - feedStart) / 1e6;

  const week = RANGES.find((r) => r.name === '7d');
  const providers = { sessions: () => [], downstreams: () => [], approvalMetrics: ZERO_APPROVAL_METRICS, cacheStats: ZERO_CACHE_STATS };
  const times = [];
  let snapshot;
  for (let i = 0; i < 20; i++) {
    const t0 = process.hrtime.bigint();
    snapshot = await dashboardSnapshot(metrics.figures, providers, '7d');
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const saveStart = process.hrtime.bigint();
  await metrics.stop();
  const saveMs = Number(process.hrtime.bigint() - saveStart) / 1e6;

  const result = {
    calls: CALLS,
    sink_ns_per_record: Math.round((feedMs * 1e6) / CALLS),
    snapshot_7d_ms: { median: +times[10].toFixed(2), max: +times.at(-1).toFixed(2) },
    snapshot_total_requests: snapshot.stats.total_requests,
    snapshot_points: snapshot.timeseries.length,
    save_ms: +saveMs.toFixed(1),
    metrics_json_bytes: statSync(path.join(work, 'metrics.json')).size,
    node: process.version,
    week_points: week.points,
  };
  console.log(JSON.stringify(result, null, 2));
  const out = arg('--out', undefined);
  if (out) writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
