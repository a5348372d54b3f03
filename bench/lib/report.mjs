// Percentiles, derived figures and the printed table.

export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { calls: sorted.length, p50_ms: at(0.5), p90_ms: at(0.9), p99_ms: at(0.99), mean_ms: mean, min_ms: sorted[0], max_ms: sorted.at(-1) };
}

/** Adds deltas and ratios against direct stdio and against the SDK's bare HTTP leg (JSON). */
export function derive(rows) {
  const direct = rows.find((r) => r.id === 'direct');
  const bare = rows.find((r) => r.id === 'bare-json');
  const bareAdded = bare && direct ? bare.latency.p50_ms - direct.latency.p50_ms : undefined;
  for (const row of rows) {
    if (!row.latency) continue;
    if (direct) {
      row.added_p50_ms = row.latency.p50_ms - direct.latency.p50_ms;
      row.added_p99_ms = row.latency.p99_ms - direct.latency.p99_ms;
      row.ratio_p50_vs_direct = row.latency.p50_ms / direct.latency.p50_ms;
    }
    if (bare) row.ratio_p50_vs_bare = row.latency.p50_ms / bare.latency.p50_ms;
    if (bareAdded !== undefined && row.added_p50_ms !== undefined) row.added_vs_bare_added = row.added_p50_ms / bareAdded;
  }
  return rows;
}

const fmt = (v, digits = 2) => (v === undefined || v === null || Number.isNaN(v) ? '—' : v.toFixed(digits));
const sign = (v) => (v === undefined ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(2)}`);

export function table(rows) {
  const head = [
    'target',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'added p50',
    'x direct',
    'x bare(b)',
    'added/b added',
    'srv CPU ms/call',
    'downstream CPU',
    'p50 @16',
    'calls/s @16',
  ];
  const body = rows.map((r) => [
    r.label,
    fmt(r.latency?.p50_ms, 3),
    fmt(r.latency?.p90_ms, 3),
    fmt(r.latency?.p99_ms, 3),
    r.id === 'direct' ? '—' : sign(r.added_p50_ms),
    fmt(r.ratio_p50_vs_direct),
    fmt(r.ratio_p50_vs_bare),
    r.id === 'direct' ? '—' : fmt(r.added_vs_bare_added),
    fmt(r.cpu?.server_cpu_ms_per_call, 3),
    fmt(r.cpu?.downstream_cpu_ms_per_call, 3),
    fmt(r.cpu?.latency_under_load?.p50_ms, 2),
    r.cpu ? Math.round(r.cpu.calls_per_sec).toString() : '—',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

export function soakLine(soak) {
  if (!soak) return '';
  const mb = (kb) => (kb / 1024).toFixed(1);
  return (
    `gateway RSS soak: ${soak.calls} calls over ${soak.sessions} sessions in ${soak.seconds.toFixed(1)} s: ` +
    `${mb(soak.rss_before_kb)} MB -> ${mb(soak.rss_after_kb)} MB ` +
    `(end-to-end ${fmt(soak.growth_kb_per_call, 3)} KB/call, least-squares trend ${fmt(soak.trend_kb_per_call, 3)} KB/call; ` +
    `checkpoints ${soak.series.map((p) => mb(p.rss_kb)).join(' / ')} MB)`
  );
}
