// The Dashboard view under load: does the extension host keep up with 200 calls/s of audit events?
// A real gateway (dist/cli.js serve, server-everything behind it) and, in THIS process standing for
// the extension host, the Dashboard's real host side (src/shared/webviews/host: HostChannel +
// dashboardHandlers + RestClient + the audit SSE reader), subscribed as the view subscribes; every
// message the host posts to the view is serialized as a webview's postMessage does (JSON). A child
// process (dashview-load.mjs) makes the calls, so its work stays out of the measured event loop.
// Measured here: the event-loop delay (perf_hooks monitorEventLoopDelay, p50/p99/max) idle and
// under load, the redraws (`dashboard/update` posts) per second, the host's CPU, and how long after
// the last call the view's snapshot counts it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { forget, removeOnExit, sleep, track } from './proc.mjs';
import { startGateway } from './targets.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const DASHVIEW_RATE = 200;

/** The host side of the Dashboard view, bundled from src/ (TypeScript) for this process. */
async function hostModules() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-bench-dashview-'));
  removeOnExit(dir);
  const outfile = path.join(dir, 'host.mjs');
  await build({
    stdin: {
      contents: [
        "export { HostChannel } from './src/shared/webviews/host/host-channel.ts';",
        "export { dashboardHandlers, LIVE_INTERVAL_MS } from './src/shared/webviews/host/dashboard-handlers.ts';",
        "export { dashboardProtocol } from './src/shared/webviews/dashboard-protocol.ts';",
        "export { RestClient } from './src/shared/rest-client.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return { modules: await import(pathToFileURL(outfile).href), dir };
}

const ms = (ns) => ns / 1e6;
const delayOf = (h) => ({ p50_ms: ms(h.percentile(50)), p99_ms: ms(h.percentile(99)), max_ms: ms(h.max), mean_ms: ms(h.mean) });

/**
 * @returns {Promise<object>} the figures (see the file header); throws when a phase fails or the
 *   view never shows every call
 */
export async function measureDashview({ seconds = 20, rate = DASHVIEW_RATE, sessions = 8, idleSeconds = 5, intervalMs, log = () => undefined } = {}) {
  const { modules, dir } = await hostModules();
  const { HostChannel, dashboardHandlers, dashboardProtocol, RestClient, LIVE_INTERVAL_MS } = modules;
  const gateway = await startGateway();
  const disposers = [];
  try {
    const client = new RestClient(gateway.url, gateway.token);
    const source = { client: () => client, folders: () => [] };
    const updates = []; // [performance.now(), total_requests, Date.now()]
    let posted = 0;
    let postedBytes = 0;
    const post = (message) => {
      // What VS Code does with a webview message: serialize it.
      const text = JSON.stringify(message);
      posted += 1;
      postedBytes += text.length;
      if (message.kind === 'notify' && message.method === 'dashboard/update')
        updates.push([performance.now(), message.params.snapshot.stats.total_requests, Date.now()]);
    };
    const hostLog = [];
    const log2 = { warn: (m) => hostLog.push(m), error: (m) => hostLog.push(m) };
    let channel;
    const ctx = { notify: (method, params) => channel.notify(method, params), onDispose: (fn) => void disposers.push(fn) };
    // `intervalMs` other than the view's (e.g. 0: a fetch per record, one at a time) shows what the throttle saves.
    channel = new HostChannel(dashboardProtocol, dashboardHandlers(source, ctx, intervalMs === undefined ? {} : { intervalMs }), post, log2);
    await channel.receive({ kind: 'request', id: 1, method: 'dashboard/subscribe', params: { range: '1h' } });
    const subscribedAt = performance.now();
    while (performance.now() - subscribedAt < 10_000) {
      if (hostLog.length) throw new Error(`host: ${hostLog.join('; ')}`);
      await sleep(50);
      if (posted >= 2) break; // the answer, then `dashboard/live` open
    }

    log(`dashview: idle ${idleSeconds} s (subscribed, no calls)`);
    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    await sleep(idleSeconds * 1000);
    idle.disable();

    log(`dashview: ${rate} calls/s for ${seconds} s over ${sessions} sessions (load in a child process)`);
    const loaded = monitorEventLoopDelay({ resolution: 1 });
    const updatesBefore = updates.length;
    let cpuBefore;
    let loadStart = 0;
    const output = await runLoad([gateway.url, gateway.token, gateway.tool, String(rate), String(seconds), String(sessions)], () => {
      loadStart = performance.now();
      cpuBefore = process.cpuUsage();
      loaded.enable();
    });
    const loadEnd = performance.now();
    loaded.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const load = JSON.parse(output.trim().split('\n').pop());
    if (load.failed) throw new Error(`${load.failed} of ${load.calls} calls failed: ${load.first_error}`);

    // The view must end up showing every call: wait for the update that counts the last one.
    const expected = (await client.dashboard('1h')).stats.total_requests;
    const caughtUp = await waitForCount(updates, expected, 10_000);
    const during = updates.slice(updatesBefore).filter(([t]) => t >= loadStart && t <= loadEnd);
    const perSecond = new Map();
    for (const [t] of during) perSecond.set(Math.floor((t - loadStart) / 1000), (perSecond.get(Math.floor((t - loadStart) / 1000)) ?? 0) + 1);
    const loadSeconds = (loadEnd - loadStart) / 1000;
    return {
      rate_target: rate,
      rate_achieved: load.rate,
      calls: load.calls,
      sessions,
      seconds: loadSeconds,
      throttle_ms: intervalMs ?? LIVE_INTERVAL_MS,
      event_loop_delay_idle: delayOf(idle),
      event_loop_delay_load: delayOf(loaded),
      redraws: during.length,
      redraws_per_s: during.length / loadSeconds,
      redraws_max_in_1s: Math.max(0, ...perSecond.values()),
      host_cpu_ms_per_s: (cpu.user + cpu.system) / 1000 / loadSeconds,
      posted_kb_per_s: postedBytes / 1024 / ((performance.now() - subscribedAt) / 1000),
      // Wall clock on both sides (one machine): from the last call's answer to the update counting it.
      last_call_shown_after_ms: caughtUp === undefined ? null : caughtUp - load.last_done_at,
      host_log: hostLog,
    };
  } finally {
    for (const dispose of disposers) dispose();
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs dashview-load.mjs; `onStart` when it prints `start`; resolves to its whole stdout. */
function runLoad(args, onStart) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench/lib/dashview-load.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child.pid);
    let stdout = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!started && stdout.startsWith('start\n')) {
        started = true;
        onStart();
      }
    });
    child.stderr.on('data', (chunk) => void (stderr = (stderr + chunk).slice(-4000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      forget(child.pid);
      if (code === 0 && started) resolve(stdout);
      else reject(new Error(`dashview-load.mjs exited with ${code}:\n${stderr}`));
    });
  });
}

/** When (Date.now()) an update first counted `expected` calls, waiting up to `budgetMs`. */
async function waitForCount(updates, expected, budgetMs) {
  const deadline = performance.now() + budgetMs;
  for (;;) {
    const hit = updates.find(([, total]) => total >= expected);
    if (hit) return hit[2];
    if (performance.now() > deadline) return undefined;
    await sleep(20);
  }
}

export function dashviewLine(r) {
  const d = (x) => `p50 ${x.p50_ms.toFixed(1)} / p99 ${x.p99_ms.toFixed(1)} / max ${x.max_ms.toFixed(1)} ms`;
  return (
    `dashboard view at ${r.rate_achieved.toFixed(0)} calls/s (${r.calls} calls, ${r.seconds.toFixed(1)} s): host event-loop delay ${d(r.event_loop_delay_load)} ` +
    `(idle ${d(r.event_loop_delay_idle)}); ${r.redraws_per_s.toFixed(2)} redraws/s (max ${r.redraws_max_in_1s} in 1 s, throttle ${r.throttle_ms} ms); ` +
    `host CPU ${r.host_cpu_ms_per_s.toFixed(0)} ms/s; last call shown ${r.last_call_shown_after_ms === null ? 'never' : `${r.last_call_shown_after_ms.toFixed(0)} ms`} after its answer`
  );
}
