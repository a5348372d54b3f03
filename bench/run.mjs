// MCPlexer benchmark: tools/call of server-everything's `echo` with an SDK v1 client, in one run:
//   a. direct over stdio; floor: bare node:http (no SDK); b. the SDK v2 bare HTTP leg (JSON, SSE);
//   c. the SDK v2 thinnest proxy (JSON, SSE); d. the MCPlexer gateway (dist/cli.js serve);
//   d2. the same gateway with its audit trail off (MCPLEXER_AUDIT=off): what audit costs per call.
// Also the daemon's start to healthy (cold and warm homes), and with --vscode the extension's
// activate() time in real VS Code (code-server, through test/e2e/activation.e2e.test.ts).
// Latency p50/p99 over N sequential calls after warm-up, CPU per call of the server process under
// 16 concurrent sessions (/proc utime+stime), and the gateway's RSS over a soak.
// Usage: npm run bench [-- --calls N] [--quick] [--rounds N] [--soak N] [--cpu-calls N]
//        [--sessions N] [--only id,id] [--profile [--keep-profile]] [--out file]
//        [--startup-runs N] [--startup | --only startup] [--vscode] [--dashview] [--dashview-seconds N]
//        [--cpu-rounds N] [--only audit]: the gateway with audit on and off alone (no startup, no
//        soak), CPU in interleaved rounds (default 3).
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
import { directTarget, startGateway, startSdkServer } from './lib/targets.mjs';
import { profileReport, profileTargets } from './lib/profile.mjs';
import { measureStartup, startupLine } from './lib/startup.mjs';
import { activationLine, measureActivation } from './lib/vscode.mjs';
import { dashviewLine, measureDashview } from './lib/dashview.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const ALL = ['direct', 'floor', 'bare-json', 'bare-sse', 'proxy-json', 'proxy-sse', 'gateway', 'gateway-noaudit'];

const USAGE = `usage: npm run bench [-- options]
  --calls N        sequential calls per target for latency (default 2000; --quick 300)
  --warmup N       warm-up calls per target (default 500; --quick 100)
  --rounds N       interleaved rounds the calls are split into (default 5; --quick 2)
  --sessions N     concurrent sessions for CPU per call and the soak (default 16)
  --cpu-calls N    calls per session for CPU per call (default 250; --quick 50)
  --soak N         gateway RSS soak calls (default 20000; --quick 2000; 0 = none)
  --only a,b       targets besides direct: ${ALL.slice(1).join(', ')}
  --only audit     the gateway with audit on and off alone, same run (no direct, startup or soak
                   unless asked); CPU per call in --cpu-rounds interleaved rounds (default 3)
  --cpu-rounds N   rounds of --sessions x --cpu-calls per target for CPU per call, the targets
                   interleaved, order rotating (default 1; --only audit: 3)
  --profile        also profile the gateway and proxy-sse under --cpu-prof (--keep-profile keeps the files)
  --startup-runs N homes for daemon start to healthy, each cold then warm, plus as many first starts (no code cache) (default 10; --quick 3; 0 = none)
  --startup        only the daemon start to healthy (same as --only startup)
  --vscode         also the extension's activate() time in code-server (e2e setup + one e2e file, ~1 min)
  --dashview       only the Dashboard view under 200 calls/s (same as --only dashview); bench/results/dashview.json
  --dashview-seconds N  seconds of load for it (default 20; --quick 5; 0 = none in a full run)
  --dashview-interval N the host's snapshot throttle for it, ms (default: the view's, 500; 0 = a fetch per record)
  --quick          a short run
  --out FILE       where the JSON goes (default bench/results/latest.json; --startup alone:
                   startup.json; --only audit: audit-on-off.json)`;

function parseArgs(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const value = (flag, fallback) => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number`);
    return n;
  };
  let only = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '').split(',') : [...ALL];
  // `--only audit`: what the audit trail costs, the same gateway with it on and off, nothing else.
  const auditOnly = only.includes('audit');
  if (auditOnly) only = [...new Set([...only.filter((id) => id !== 'audit'), 'gateway', 'gateway-noaudit'])];
  // `--startup` / `--only startup`: the start-to-healthy measurement alone, no call targets.
  const startupOnly = argv.includes('--startup') || only.includes('startup');
  if (startupOnly) only = only.filter((id) => id !== 'startup');
  if (startupOnly && !argv.includes('--only')) only = [];
  // `--dashview` / `--only dashview`: the Dashboard view under load alone.
  const dashviewOnly = argv.includes('--dashview') || only.includes('dashview');
  if (dashviewOnly) only = only.filter((id) => id !== 'dashview');
  if (dashviewOnly && !argv.includes('--only')) only = [];
  for (const id of only) if (!ALL.includes(id)) throw new Error(`--only: unknown target "${id}" (known: ${ALL.join(', ')})`);
  const alone = (startupOnly || dashviewOnly) && only.length === 0;
  if (!only.includes('direct') && !alone && !auditOnly) only.unshift('direct');
  return {
    dashviewOnly,
    dashviewSeconds: auditOnly && !dashviewOnly ? 0 : value('--dashview-seconds', quick ? 5 : 20),
    dashviewInterval: argv.includes('--dashview-interval') ? value('--dashview-interval', 500) : undefined,
    startupRuns: (dashviewOnly && !startupOnly) || auditOnly ? 0 : value('--startup-runs', quick ? 3 : 10),
    cpuRounds: Math.max(1, value('--cpu-rounds', auditOnly ? 3 : 1)),
    vscode: argv.includes('--vscode'),
    quick,
    calls: value('--calls', quick ? 300 : 2000),
    warmup: value('--warmup', quick ? 100 : 500),
    rounds: Math.max(1, value('--rounds', quick ? 2 : 5)),
    sessions: value('--sessions', 16),
    cpuPerSession: value('--cpu-calls', quick ? 50 : 250),
    soakCalls: value('--soak', auditOnly ? 0 : quick ? 2000 : 20_000),
    profile: argv.includes('--profile'),
    keepProfile: argv.includes('--keep-profile'),
    targets: ALL.filter((id) => only.includes(id)),
    // A startup-only run keeps the full run's latest.json.
    out: argv.includes('--out')
      ? path.resolve(argv[argv.indexOf('--out') + 1])
      : path.join(
          ROOT,
          'bench/results',
          alone ? (dashviewOnly && !startupOnly ? 'dashview.json' : 'startup.json') : auditOnly ? 'audit-on-off.json' : 'latest.json',
        ),
  };
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

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
  id === 'direct' ? directTarget() : id === 'gateway' ? startGateway() : id === 'gateway-noaudit' ? startGateway({ audit: false }) : startSdkServer(id);

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
  const activation = opts.vscode ? await measureActivation({ log }) : undefined;
  const dashview =
    opts.dashviewSeconds > 0 && (opts.dashviewOnly || opts.targets.length > 0)
      ? await measureDashview({ seconds: opts.dashviewSeconds, intervalMs: opts.dashviewInterval, log })
      : undefined;
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
      startup_runs: opts.startupRuns,
      client: '@modelcontextprotocol/sdk 1.32.2 Client (v1)',
    },
    rows,
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
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);

  const m = result.machine;
  console.log(
    `\nMCPlexer bench ${result.date}, commit ${rev.commit}${rev.src_dirty ? ' (src/ modified)' : ''} — ${m.cores} cores (${m.cpu}), Node ${m.node}; ${rows.length ? `${opts.calls} calls (${opts.rounds} interleaved rounds), ${opts.sessions} sessions x ${opts.cpuPerSession} calls for CPU` : opts.dashviewOnly ? 'dashboard view only' : 'startup only'}`,
  );
  console.log(
    `machine busy (other jobs) ${(100 * load.busy_before).toFixed(0)}% before, ${(100 * load.busy_after).toFixed(0)}% after; load average before ${load.before.map((v) => v.toFixed(2)).join(' ')}, after ${load.after.map((v) => v.toFixed(2)).join(' ')}`,
  );
  if (rows.length) console.log(table(rows));
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
  if (gw?.cpu && off?.cpu) {
    const cpuOn = gw.cpu.server_cpu_ms_per_call;
    const cpuOff = off.cpu.server_cpu_ms_per_call;
    console.log(
      `audit on vs off (same run): p50 ${gw.latency.p50_ms.toFixed(3)} vs ${off.latency.p50_ms.toFixed(3)} ms (${(gw.latency.p50_ms - off.latency.p50_ms >= 0 ? '+' : '') + (gw.latency.p50_ms - off.latency.p50_ms).toFixed(3)} ms), ` +
        `CPU ${cpuOn.toFixed(3)} vs ${cpuOff.toFixed(3)} ms/call (${((100 * (cpuOn - cpuOff)) / cpuOff).toFixed(1)} %); goal ≤ +0.05 ms and ≤ 10 %`,
    );
    if (gw.cpu.rounds.length > 1)
      console.log(
        `audit CPU per round (on vs off, ms/call): ${gw.cpu.rounds.map((on, i) => `${on.toFixed(3)}/${off.cpu.rounds[i].toFixed(3)} (${((100 * (on - off.cpu.rounds[i])) / off.cpu.rounds[i]).toFixed(1)} %)`).join(', ')}`,
      );
  }
  if (gw?.soak) console.log(soakLine(gw.soak));
  if (startup) console.log(startupLine(startup));
  if (activation) console.log(activationLine(activation));
  if (dashview) console.log(dashviewLine(dashview));
  if (profile) console.log(`\n${profileReport(profile)}`);
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
