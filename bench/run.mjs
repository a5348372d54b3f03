// MCPlexer benchmark: tools/call of server-everything's `echo` with an SDK v1 client, in one run:
//   a. direct over stdio; floor: bare node:http (no SDK); b. the SDK v2 bare HTTP leg (JSON, SSE);
//   c. the SDK v2 thinnest proxy (JSON, SSE); d. the MCPlexer gateway (dist/cli.js serve);
//   d3. the same gateway through `mcplexer connect` (the stdio bridge);
//   d2. the same gateway with its audit trail off (MCPLEXER_AUDIT=off): what audit costs per call.
// Sequential latency p50/p90/p99 after warm-up (rounds interleaved), CPU per call under 16 sessions
// by call count, the time-bounded concurrency phase at 16 and 64 sessions (calls/s, errors, CPU per
// call of the server and of its process tree), the gateway's RSS over a soak (by calls, or timed with
// heap snapshots: --soak-minutes), many downstreams (RSS with 20 connected, tools/list over 50 x 40,
// cold discovery of 50), the daemon's start to healthy, optionally the audit store (--audit-store) and
// the extension's activate() in code-server (--vscode); then the goal table of issue 21.
// Options: bench/lib/options.mjs (`npm run bench -- --help`).
// The Dashboard view part (bench/lib/dashview.mjs): 200 calls/s of audit events through a real
// gateway to the view's host side, the host's event-loop delay and the redraws per second.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuInterleaved, latencyInterleaved, soak } from './lib/clients.mjs';
import { installCleanup, killAll, machineBusy, rssKb } from './lib/proc.mjs';
import { derive, soakLine, summarize, table } from './lib/report.mjs';
import { directTarget, startGateway, startGatewayConnect, startSdkServer } from './lib/targets.mjs';
import { profileReport, profileTargets } from './lib/profile.mjs';
import { measureStartup, startupLine } from './lib/startup.mjs';
import { activationLine, measureActivation } from './lib/vscode.mjs';
import { dashviewLine, measureDashview } from './lib/dashview.mjs';
import { parseArgs } from './lib/options.mjs';
import { concurrencyInterleaved, concurrencyTable } from './lib/concurrency.mjs';
import { fleetLines, fleetList, fleetRss } from './lib/fleet.mjs';
import { heapSoak, heapSoakLine } from './lib/heap-soak.mjs';
import { auditStoreLine, measureAuditStore } from './lib/audit-store.mjs';
import { goalTable, goals } from './lib/goals.mjs';
import { ensurePeers, startMcpHub } from './lib/peers.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

/** A part that may fail without losing the rest of the run: its failure is kept as `{ error }`. */
async function attempt(name, fn) {
  try {
    return await fn();
  } catch (error) {
    log(`${name} failed: ${error.stack ?? error}`);
    return { error: `${name}: ${String(error.message ?? error).slice(0, 2000)}` };
  }
}
const ok = (part) => (part && !part.error ? part : undefined);

/** The commit measured, and whether src/ differed from it (uncommitted changes). */
function revision() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), src_dirty: git('status', '--porcelain', '--', 'src') !== '' };
  } catch {
    return { commit: 'unknown', src_dirty: null };
  }
}

const startTarget = (id) =>
  id === 'direct'
    ? directTarget()
    : id === 'gateway'
      ? startGateway()
      : id === 'gateway-noaudit'
        ? startGateway({ audit: false })
        : id === 'gateway-connect'
          ? startGatewayConnect()
          : id === 'mcp-hub'
            ? (ensurePeers(log), startMcpHub())
            : startSdkServer(id);

/** All targets up at once; latency interleaved across them; then CPU and the soak one by one. */
async function measureAll(opts) {
  const targets = [];
  const current = { id: 'startup', target: undefined };
  try {
    for (const id of opts.targets) {
      current.id = id;
      const target = await startTarget(id);
      targets.push((current.target = target));
      if (target.pid) target.rssIdleKb = rssKb(target.pid); // started (gateway: downstream discovered), no MCP session yet
    }
    current.id = 'latency';
    current.target = undefined;
    log(`latency: ${opts.calls} sequential calls per target after ${opts.warmup} warm-up, interleaved in ${opts.rounds} rounds`);
    const samples = await latencyInterleaved(targets, {
      warmup: opts.warmup,
      calls: opts.calls,
      rounds: opts.rounds,
      budgetMs: 120_000 + targets.length * (opts.calls + opts.warmup) * 50,
    });
    const rows = targets.map((t) => ({ id: t.id, label: t.label, latency: summarize(samples.get(t.id)), ...(t.pid ? { rss_idle_kb: t.rssIdleKb } : {}) }));
    const servers = targets.filter((t) => t.pid);
    Object.assign(current, { id: 'cpu', target: undefined });
    log(`CPU under ${opts.sessions} sessions x ${opts.cpuPerSession} calls per target, ${opts.cpuRounds} interleaved round(s)`);
    const cpu = await cpuInterleaved(servers, {
      sessions: opts.sessions,
      perSession: opts.cpuPerSession,
      rounds: opts.cpuRounds,
      budgetMs: 120_000 + opts.sessions * opts.cpuPerSession * 50,
    });
    if (opts.concurrencyLevels.length) {
      Object.assign(current, { id: 'concurrency', target: undefined });
      const conc = await concurrencyInterleaved(targets, {
        levels: opts.concurrencyLevels,
        warmupMs: opts.concurrencyWarmupMs,
        measureMs: opts.concurrencySeconds * 1000,
        rounds: opts.concurrencyRounds,
        log,
      });
      for (const row of rows) if (conc.has(row.id)) row.concurrency = conc.get(row.id);
    }
    for (const [i, target] of targets.entries()) {
      if (!target.pid) continue;
      Object.assign(current, { id: target.id, target });
      rows[i].cpu = cpu.get(target.id);
      if (target.id === 'gateway' && opts.soakCalls > 0) {
        log(`gateway: RSS soak, ${opts.soakCalls} calls`);
        rows[i].soak = await soak(target, { sessions: opts.sessions, total: opts.soakCalls, budgetMs: 120_000 + opts.soakCalls * 20 });
      }
      rows[i].rss_end_kb = rssKb(target.pid);
    }
    return rows;
  } catch (error) {
    const output = current.target?.output?.();
    throw new Error(`${current.id}: ${error.message}${output ? `\n--- ${current.id} output ---\n${output}` : ''}`);
  } finally {
    await Promise.allSettled(targets.map((t) => t.stop()));
  }
}

async function main() {
  installCleanup();
  const opts = parseArgs(process.argv.slice(2));
  // The whole run is bounded too: a hung phase cannot keep processes alive.
  const watchdog = setTimeout(() => {
    log('watchdog: the run took longer than 40 minutes; killing everything');
    killAll();
    process.exit(2);
  }, 40 * 60_000);
  watchdog.unref();

  const started = new Date();
  const rev = revision();
  const load = { before: os.loadavg(), busy_before: await machineBusy(2000) };
  if (load.busy_before > 0.15) log(`warning: the machine was ${(100 * load.busy_before).toFixed(0)}% busy before the run (other jobs): expect noisy figures`);
  const startup = opts.startupRuns > 0 ? await measureStartup({ runs: opts.startupRuns, budgetMs: 120_000, log }) : undefined;
  const rows = opts.targets.length ? derive(await measureAll(opts)) : [];
  const fleet = opts.fleet
    ? {
        rss: await attempt('fleet (20 downstreams)', () => fleetRss({ count: 20, log })),
        list: await attempt('fleet (50 x 40)', () => fleetList({ count: 50, log })),
      }
    : undefined;
  const soakResult = opts.soakMinutes > 0 ? await attempt('soak', () => heapSoak({ minutes: opts.soakMinutes, sessions: opts.sessions, log })) : undefined;
  const activation = opts.vscode ? await attempt('vscode', () => measureActivation({ log })) : undefined;
  const dashview =
    opts.dashviewSeconds > 0 && (opts.dashviewOnly || opts.targets.length > 0)
      ? await measureDashview({ seconds: opts.dashviewSeconds, intervalMs: opts.dashviewInterval, log })
      : undefined;
  const auditStore = opts.auditStore ? await attempt('audit store', () => measureAuditStore({ log })) : undefined;
  load.after = os.loadavg();
  load.busy_after = await machineBusy(2000);
  const profile = opts.profile ? await profileTargets(opts, log) : undefined;

  const cpus = os.cpus();
  const result = {
    date: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    revision: rev,
    load_average: load,
    machine: {
      cores: cpus.length,
      cpu: cpus[0]?.model,
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      mem_gb: Math.round(os.totalmem() / 2 ** 30),
    },
    options: {
      calls: opts.calls,
      warmup: opts.warmup,
      rounds: opts.rounds,
      sessions: opts.sessions,
      cpu_calls_per_session: opts.cpuPerSession,
      cpu_rounds: opts.cpuRounds,
      soak_calls: opts.soakCalls,
      soak_minutes: opts.soakMinutes,
      concurrency_levels: opts.concurrencyLevels,
      concurrency_seconds: opts.concurrencySeconds,
      concurrency_warmup_ms: opts.concurrencyWarmupMs,
      concurrency_rounds: opts.concurrencyRounds,
      startup_runs: opts.startupRuns,
      client: '@modelcontextprotocol/sdk 1.32.2 Client (v1)',
    },
    rows,
    ...(fleet ? { fleet } : {}),
    ...(soakResult ? { soak: soakResult } : {}),
    ...(auditStore ? { audit_store: auditStore } : {}),
    ...(startup ? { startup } : {}),
    ...(activation ? { activation } : {}),
    ...(dashview ? { dashview } : {}),
    ...(profile
      ? {
          profile: profile.map((p) => ({
            id: p.id,
            calls: p.calls,
            cpu_ms_per_call: p.cpu_ms_per_call,
            sampled_ms: p.total_ms,
            buckets: p.buckets.slice(0, 25),
            functions: p.functions.slice(0, 25),
          })),
        }
      : {}),
  };
  result.goals = goals(result);
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);

  const m = result.machine;
  console.log(
    `\nMCPlexer bench ${result.date}, commit ${rev.commit}${rev.src_dirty ? ' (src/ modified)' : ''} — ${m.cores} cores (${m.cpu}), Node ${m.node}; ${rows.length ? `${opts.warmup} warm-up + ${opts.calls} calls (${opts.rounds} interleaved rounds), ${opts.sessions} sessions x ${opts.cpuPerSession} calls for CPU` : 'parts only'}`,
  );
  console.log(
    `machine busy (other jobs) ${(100 * load.busy_before).toFixed(0)}% before, ${(100 * load.busy_after).toFixed(0)}% after; load average before ${load.before.map((v) => v.toFixed(2)).join(' ')}, after ${load.after.map((v) => v.toFixed(2)).join(' ')}`,
  );
  if (rows.length) console.log(table(rows));
  if (rows.some((r) => r.concurrency))
    console.log(
      `\nconcurrency (${opts.concurrencyWarmupMs} ms warm-up + ${opts.concurrencySeconds} s measured per target and level; tree = the server and its downstreams):\n${concurrencyTable(rows, opts.concurrencyLevels)}`,
    );
  const mb = (kb) => (kb / 1024).toFixed(0);
  if (rows.length)
    console.log(
      `server RSS, started -> end (MB): ${rows
        .filter((r) => r.rss_idle_kb)
        .map((r) => `${r.id} ${mb(r.rss_idle_kb)} -> ${mb(r.rss_end_kb)}`)
        .join(', ')}`,
    );
  if (rows.length)
    console.log(
      `server CPU user/sys ms per call @${opts.sessions} (involuntary context switches per call): ${rows
        .filter((r) => r.cpu)
        .map(
          (r) =>
            `${r.id} ${r.cpu.server_user_ms_per_call.toFixed(3)}/${r.cpu.server_sys_ms_per_call.toFixed(3)} (${r.cpu.server_involuntary_switches_per_call.toFixed(2)})`,
        )
        .join(', ')}`,
    );
  const gw = rows.find((r) => r.id === 'gateway');
  const off = rows.find((r) => r.id === 'gateway-noaudit');
  const medianPercent = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return (sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2).toFixed(1);
  };
  if (gw?.cpu && off?.cpu) {
    const cpuOn = gw.cpu.server_cpu_ms_per_call;
    const cpuOff = off.cpu.server_cpu_ms_per_call;
    console.log(
      `audit on vs off (same run): p50 ${gw.latency.p50_ms.toFixed(3)} vs ${off.latency.p50_ms.toFixed(3)} ms (${(gw.latency.p50_ms - off.latency.p50_ms >= 0 ? '+' : '') + (gw.latency.p50_ms - off.latency.p50_ms).toFixed(3)} ms), ` +
        `CPU ${cpuOn.toFixed(3)} vs ${cpuOff.toFixed(3)} ms/call (${((100 * (cpuOn - cpuOff)) / cpuOff).toFixed(1)} %); goal ≤ +0.05 ms and ≤ 10 %`,
    );
    if (gw.cpu.rounds.length > 1)
      console.log(
        `audit CPU per round (on vs off, ms/call): ${gw.cpu.rounds.map((on, i) => `${on.toFixed(3)}/${off.cpu.rounds[i].toFixed(3)} (${((100 * (on - off.cpu.rounds[i])) / off.cpu.rounds[i]).toFixed(1)} %)`).join(', ')}` +
          // The median of the rounds' pairs: one round that other jobs hit does not move it as it moves the sum.
          `; median of the rounds ${medianPercent(gw.cpu.rounds.map((on, i) => (100 * (on - off.cpu.rounds[i])) / off.cpu.rounds[i]))} %`,
      );
  }
  if (gw?.soak) console.log(soakLine(gw.soak));
  if (startup) console.log(startupLine(startup));
  if (ok(activation)) console.log(activationLine(activation));
  if (dashview) console.log(dashviewLine(dashview));
  if (fleet) console.log(fleetLines({ rss: ok(fleet.rss), list: ok(fleet.list) }));
  if (ok(soakResult)) console.log(heapSoakLine(soakResult));
  if (ok(auditStore)) console.log(auditStoreLine(auditStore));
  if (profile) console.log(`\n${profileReport(profile)}`);
  console.log(`\nGoals (issue 21), same run:\n${goalTable(result.goals)}`);
  console.log(`\nwritten ${path.relative(process.cwd(), opts.out)} (${result.seconds.toFixed(0)} s)`);
}

main().then(
  () => {
    killAll();
    process.exit(0);
  },
  (error) => {
    log(`failed: ${error.stack ?? error}`);
    killAll();
    process.exit(1);
  },
);
