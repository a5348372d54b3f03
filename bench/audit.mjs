// MCPlexer audit store benchmark (issue 17): ingest through the trail's real writer (the call
// record sink: build, redact, batch, one transaction per flush) and filtered GET /audit queries
// (page of 50 + total) on a store of 1 M records, on audit.db in a temp dir.
// Usage: node bench/audit.mjs [--records N] [--ingest N] [--runs N]   (defaults 1000000, 200000, 20)
// The audit module is bundled from src/ with esbuild (node-sqlite3-wasm and kysely stay external).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const arg = (flag, fallback) => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const TOTAL = arg('--records', 1_000_000);
const INGEST = arg('--ingest', 200_000);
const RUNS = arg('--runs', 20);
const log = (msg) => process.stderr.write(`[bench:audit] ${msg}\n`);

const outfile = path.join(ROOT, '.tmp/bench-audit.cjs');
await build({
  stdin: { contents: "export * from './src/gateway/audit/index.ts';", resolveDir: ROOT, loader: 'ts' },
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['node-sqlite3-wasm', 'kysely'],
  logLevel: 'warning',
});
const audit = createRequire(import.meta.url)(outfile);

const WORKSPACES = 20;
const TOOLS = 200;
const SESSIONS = 500;
const STATUSES = ['success', 'success', 'success', 'success', 'success', 'success', 'success', 'success', 'error', 'blocked'];
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A settled call as `callRecordFields` gives it: arguments with a secret key and a token to redact. */
function fields(i) {
  const status = STATUSES[i % STATUSES.length];
  return {
    method: 'tools/call',
    timestamp: new Date(T0 + i * 1000).toISOString(),
    session_id: `session-${i % SESSIONS}`,
    client_type: 'bench',
    workspace_id: `ws-${i % WORKSPACES}`,
    workspace_name: `Workspace ${i % WORKSPACES}`,
    subpath: 'src',
    tool_name: `ns${i % 10}__tool_${i % TOOLS}`,
    route_rule_id: `rule-${i % 50}`,
    downstream_server_id: `server-${i % 10}`,
    auth_scope_id: null,
    status,
    error_code: status === 'success' ? null : status === 'error' ? 'tool_error' : 'denied',
    error_message: status === 'success' ? null : 'something went wrong',
    latency_ms: 0.5 + (i % 100) / 10,
    response_size: 200 + (i % 1000),
    cache_hit: i % 7 === 0,
    args: { path: `/home/user/project/file-${i}.ts`, query: 'find the thing', api_key: 'sk-live-abcdefghijklmnop', n: i },
    approval_id: null,
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'mcplexer-bench-audit-'));
const names = { ruleSummary: () => '**', serverName: () => 'server' };
const trail = await audit.openAudit({
  dataDir: dir,
  describe: (r) => r,
  redactionFor: () => ({}),
  names,
  settings: () => ({ audit_retention_days: 36_500, audit_max_mb: 1_000_000 }),
});
const results = { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length };
try {
  // 1. Ingest through the sink: records arrive in bursts of 1000 per event-loop turn, as calls would.
  log(`ingest: ${INGEST} records through the sink (build + redact + batched transactions)`);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < INGEST; i += 1000) {
    for (let j = i; j < Math.min(INGEST, i + 1000); j++) trail.sink.record(fields(j));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await trail.flush();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Wall time suffers from other jobs on the machine; CPU time says what one core does alone.
  results.ingest = {
    records: INGEST,
    seconds,
    records_per_sec: Math.round(INGEST / seconds),
    cpu_us_per_record: (cpuSeconds * 1e6) / INGEST,
    records_per_cpu_sec: Math.round(INGEST / cpuSeconds),
  };
  log(`ingest: ${results.ingest.records_per_sec} records/s wall, ${results.ingest.records_per_cpu_sec} records per CPU second`);

  // 2. Fill to TOTAL rows (straight into the store, in big transactions), then time the queries.
  log(`filling to ${TOTAL} records`);
  const redactor = new audit.ArgumentRedactor({});
  for (let i = INGEST; i < TOTAL; i += 10_000) {
    const rows = [];
    for (let j = i; j < Math.min(TOTAL, i + 10_000); j++) {
      const f = fields(j);
      rows.push({
        ...f,
        id: Date.now() * 1000 + j,
        args: undefined,
        params_redacted: JSON.stringify(redactor.redact(f.args)),
        cache_hit: f.cache_hit ? 1 : 0,
        created_at: f.timestamp,
        model: null,
        downstream_instance_id: null,
      });
      delete rows.at(-1).args;
    }
    await trail.store.insert(rows);
  }
  // The daemon refreshes the planner's statistics at open and after each pruning (every 10 min).
  await trail.prune();
  results.records = await trail.store.count();
  results.file_mb = statSync(path.join(dir, 'audit.db')).size / 2 ** 20;
  const mid = new Date(T0 + (TOTAL / 2) * 1000).toISOString();
  const queries = {
    'no filter': {},
    workspace_id: { workspace_id: 'ws-3' },
    session_id: { session_id: 'session-42' },
    'tool_name exact': { tool_name: 'ns3__tool_13' },
    'tool_name glob ns3__*': { tool_name: 'ns3__*' },
    'status=error': { status: 'error' },
    'status=success': { status: 'success' },
    'workspace_id + status=success': { workspace_id: 'ws-3', status: 'success' },
    'after/before (1 h)': { after: mid, before: new Date(Date.parse(mid) + 3_600_000).toISOString() },
    'workspace_id + status': { workspace_id: 'ws-8', status: 'error' },
    'workspace_id + status + after': { workspace_id: 'ws-8', status: 'error', after: mid },
  };
  results.queries = {};
  for (const [label, filter] of Object.entries(queries)) {
    const times = [];
    let total = 0;
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      const page = await trail.query({ filter, limit: 50, offset: 0 });
      times.push(performance.now() - t);
      total = page.total;
    }
    times.sort((a, b) => a - b);
    results.queries[label] = { matching: total, p50_ms: times[Math.floor(times.length / 2)], max_ms: times.at(-1) };
    log(`query ${label}: ${total} matching, p50 ${results.queries[label].p50_ms.toFixed(2)} ms`);
  }
} finally {
  await trail.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(results, null, 2));
