// The audit store's figures in the same report (`--audit-store`): runs bench/audit.mjs (ingest
// through the trail's real writer; filtered GET /audit queries on 1 M records) and
// bench/metrics-snapshot.mjs (the 7d dashboard snapshot at 1 M records), each as its own process
// (its own group, killed on exit), bounded by a deadline, and reads the JSON each prints.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnGroup, stopGroup, withTimeout } from './proc.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const AUDIT_GOALS = { ingest_per_sec: 20_000, filtered_query_ms: 50, snapshot_ms: 100 };

async function runJson(script, args, budgetMs) {
  const child = spawnGroup(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err = (err + c).slice(-4096)));
  try {
    const code = await withTimeout(new Promise((resolve) => child.once('exit', resolve)), budgetMs, script);
    if (code !== 0) throw new Error(`${script} exited with ${code}:\n${err}`);
    return JSON.parse(out.slice(out.indexOf('{')));
  } finally {
    await stopGroup(child.pid, 2000);
  }
}

/** @returns {{ audit, snapshot, figures }} the two scripts' JSON and the three goal figures. */
export async function measureAuditStore({ records = 1_000_000, log = () => undefined } = {}) {
  log(`audit store: bench/audit.mjs (ingest 200,000, queries on ${records.toLocaleString('en')} records; a few minutes)`);
  const audit = await runJson('bench/audit.mjs', ['--records', String(records)], 20 * 60_000);
  log('audit store: bench/metrics-snapshot.mjs (7d snapshot)');
  const snapshot = await runJson('bench/metrics-snapshot.mjs', ['--calls', String(records)], 10 * 60_000);
  const filtered = Object.entries(audit.queries).filter(([label]) => label !== 'no filter');
  const worst = filtered.reduce((a, b) => (b[1].p50_ms > a[1].p50_ms ? b : a));
  return {
    audit,
    snapshot,
    figures: {
      ingest_per_sec: audit.ingest.records_per_sec,
      worst_filtered_query: { label: worst[0], p50_ms: worst[1].p50_ms },
      snapshot_7d_ms: snapshot.snapshot_7d_ms.median,
    },
  };
}

export const auditStoreLine = (a) =>
  `audit store: ingest ${a.figures.ingest_per_sec} records/s (goal ≥ ${AUDIT_GOALS.ingest_per_sec}); slowest filtered query on ${a.audit.records} records "${a.figures.worst_filtered_query.label}" p50 ${a.figures.worst_filtered_query.p50_ms.toFixed(1)} ms (goal ≤ ${AUDIT_GOALS.filtered_query_ms}); 7d dashboard snapshot median ${a.figures.snapshot_7d_ms} ms (goal ≤ ${AUDIT_GOALS.snapshot_ms})`;
