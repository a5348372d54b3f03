// The bench's command line: targets, parts and their sizes (`npm run bench -- --help`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const ALL = ['direct', 'floor', 'relay', 'bare-json', 'bare-sse', 'proxy-json', 'proxy-sse', 'gateway', 'gateway-connect', 'gateway-noaudit'];
// Parts that can run alone with --only (no call targets unless some are listed too).
const PARTS = ['startup', 'dashview', 'fleet', 'soak', 'audit-store'];

const USAGE = `usage: npm run bench [-- options]
  --calls N        sequential calls per target for latency (default 2000; --quick 300)
  --warmup N       warm-up calls per target (default 200; --quick 100)
  --rounds N       interleaved rounds the calls are split into (default 5; --quick 2)
  --sessions N     concurrent sessions for the count-based CPU per call and the call-count soak (default 16)
  --cpu-calls N    calls per session for the count-based CPU per call (default 250; --quick 50)
  --concurrency L  session counts for the time-bounded concurrency phase (default 16,64; 0 = none)
  --concurrency-seconds N  measured seconds per target and level (default 10; --quick 2), after a
                   1 s warm-up (--quick 0.5 s)
  --concurrency-rounds N  rounds of the concurrency phase, summed (default 1): more rounds, less noise
                   from other jobs in the CPU per call
  --soak N         gateway RSS soak by call count (default 0 when --soak-minutes is set, else 20000;
                   --quick 2000; 0 = none)
  --soak-minutes N the timed soak with heap snapshots at start and end, on a fresh gateway (default
                   2 in a full run; 0 in --quick; issue 21's goal is 10: --soak-minutes 10)
  --no-fleet       skip the many-downstreams part (RSS with 20 connected; tools/list over 50 x 40;
                   cold discovery of 50 in parallel), which a full run and --quick include
  --peers          also the peer gateway mcp-hub 4.2.1 (bench/peers/, its own lock; legacy
                   HTTP+SSE through SSEClientTransport) as a target (\`mcp-hub\`)
  --audit-store    also the audit store (bench/audit.mjs) and the 7d dashboard snapshot
                   (bench/metrics-snapshot.mjs) on 1 M records (+~5 min)
  --only a,b       targets besides direct: ${ALL.slice(1).join(', ')}; or parts alone: ${PARTS.join(', ')}
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
                   startup.json; --only audit: audit-on-off.json; other parts alone: <part>.json)`;

export function parseArgs(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const number = (flag, fallback, integer = true) => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new Error(`${flag} needs a ${integer ? 'whole ' : ''}number ≥ 0`);
    return n;
  };
  const value = (flag, fallback) => number(flag, fallback, true);
  const onlyGiven = argv.includes('--only');
  let only = onlyGiven ? (argv[argv.indexOf('--only') + 1] ?? '').split(',') : [...ALL];
  // `--only audit`: what the audit trail costs, the same gateway with it on and off, nothing else.
  const auditOnly = only.includes('audit');
  if (auditOnly) only = [...new Set([...only.filter((id) => id !== 'audit'), 'gateway', 'gateway-noaudit'])];
  // `--startup` / `--dashview` / `--only <part>`: that part alone, no call targets.
  const startupOnly = argv.includes('--startup') || only.includes('startup');
  const dashviewOnly = argv.includes('--dashview') || only.includes('dashview');
  const partsOnly = new Set(PARTS.filter((p) => only.includes(p)));
  if (startupOnly) partsOnly.add('startup');
  if (dashviewOnly) partsOnly.add('dashview');
  only = only.filter((id) => !PARTS.includes(id));
  if (partsOnly.size && !onlyGiven) only = [];
  for (const id of only) if (!ALL.includes(id)) throw new Error(`--only: unknown target "${id}" (known: ${ALL.join(', ')}; parts: ${PARTS.join(', ')}, audit)`);
  const alone = partsOnly.size > 0 && only.length === 0;
  if (!only.includes('direct') && !alone && !auditOnly) only.unshift('direct');
  const full = !alone && !auditOnly; // a run of the call targets with everything around them
  const part = (name) => (alone ? partsOnly.has(name) : full);
  const soakMinutes = part('soak') ? number('--soak-minutes', quick && !partsOnly.has('soak') ? 0 : 2, false) : 0;
  const levels = argv.includes('--concurrency')
    ? (argv[argv.indexOf('--concurrency') + 1] ?? '')
        .split(',')
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0)
    : [16, 64];
  const auditStore = argv.includes('--audit-store') || partsOnly.has('audit-store');
  const outName = auditOnly ? 'audit-on-off.json' : !alone ? 'latest.json' : partsOnly.size === 1 ? `${[...partsOnly][0]}.json` : 'parts.json';
  return {
    dashviewOnly: alone && partsOnly.has('dashview'),
    dashviewSeconds: (alone && !partsOnly.has('dashview')) || auditOnly ? 0 : value('--dashview-seconds', quick ? 5 : 20),
    dashviewInterval: argv.includes('--dashview-interval') ? value('--dashview-interval', 500) : undefined,
    startupRuns: (alone && !partsOnly.has('startup')) || auditOnly ? 0 : value('--startup-runs', quick ? 3 : 10),
    cpuRounds: Math.max(1, value('--cpu-rounds', auditOnly ? 3 : 1)),
    vscode: argv.includes('--vscode'),
    quick,
    calls: value('--calls', quick ? 300 : 2000),
    warmup: value('--warmup', quick ? 100 : 200),
    rounds: Math.max(1, value('--rounds', quick ? 2 : 5)),
    sessions: value('--sessions', 16),
    cpuPerSession: value('--cpu-calls', quick ? 50 : 250),
    concurrencyLevels: auditOnly && !argv.includes('--concurrency') ? [] : levels,
    concurrencySeconds: number('--concurrency-seconds', quick ? 2 : 10, false),
    concurrencyWarmupMs: quick ? 500 : 1000,
    concurrencyRounds: Math.max(1, value('--concurrency-rounds', 1)),
    soakMinutes,
    soakCalls: value('--soak', auditOnly || soakMinutes > 0 ? 0 : quick ? 2000 : 20_000),
    fleet: part('fleet') && !argv.includes('--no-fleet'),
    auditStore,
    profile: argv.includes('--profile'),
    keepProfile: argv.includes('--keep-profile'),
    targets: [...ALL.filter((id) => only.includes(id)), ...(argv.includes('--peers') ? ['mcp-hub'] : [])],
    out: argv.includes('--out') ? path.resolve(argv[argv.indexOf('--out') + 1]) : path.join(ROOT, 'bench/results', outName),
  };
}
