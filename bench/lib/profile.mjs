// `--profile`: the gateway and the SDK's thinnest SSE proxy (its nearest SDK equivalent) once more,
// each under `node --cpu-prof` with the same concurrent load, summarised per call side by side.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeProfile } from '../profile-summary.mjs';
import { cpuPerCall } from './clients.mjs';
import { removeOnExit } from './proc.mjs';
import { startGateway, startSdkServer } from './targets.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const WARMUP_PER_SESSION = 20; // cpuPerCall's own warm-up burst

async function profileOne(id, opts, log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `mcplexer-prof-${id}-`));
  if (!opts.keepProfile) removeOnExit(dir);
  const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250'];
  const perSession = opts.cpuPerSession * 2;
  const target = id === 'gateway' ? await startGateway({ nodeArgs }) : await startSdkServer(id, { nodeArgs });
  let cpu;
  try {
    log(`profile: ${id} under --cpu-prof, ${opts.sessions} sessions x ${perSession} calls`);
    cpu = await cpuPerCall(target, { sessions: opts.sessions, perSession, budgetMs: 300_000 });
  } finally {
    await target.stop(); // SIGTERM: the process exits normally and writes its profile
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`${id} wrote no .cpuprofile`);
  const summary = summarizeProfile(path.join(dir, file), path.join(ROOT, 'dist/cli-bundle.js.map'));
  if (opts.keepProfile) log(`profile kept: ${path.join(dir, file)}`);
  else rmSync(dir, { recursive: true, force: true });
  // Calls made over the process's life (start-up and session set-up are in the profile too).
  const calls = opts.sessions * (perSession + WARMUP_PER_SESSION);
  return { id, calls, cpu_ms_per_call: cpu.server_cpu_ms_per_call, ...summary };
}

export async function profileTargets(opts, log) {
  return [await profileOne('proxy-sse', opts, log), await profileOne('gateway', opts, log)];
}

// Areas named the same way for the bundled gateway and the unbundled SDK proxy.
const normalise = (name) =>
  name
    .replace(/^pkg @modelcontextprotocol\/(core-internal|client|server|node)/, 'pkg @modelcontextprotocol (SDK)')
    .replace(/^.*bench\/sdk-server\.mjs$/, 'bench sdk-server.mjs');

/** Lines for the side-by-side table: V8-sampled µs per call by area, biggest gap first. */
export function profileReport([proxy, gateway]) {
  const areas = new Map();
  for (const [i, p] of [proxy, gateway].entries()) {
    for (const b of p.buckets) {
      const key = normalise(b.name);
      const v = areas.get(key) ?? [0, 0];
      v[i] += (b.ms * 1000) / p.calls;
      areas.set(key, v);
    }
  }
  const rows = [...areas].filter(([, v]) => v[0] + v[1] >= 4).sort((a, b) => b[1][1] - b[1][0] - (a[1][1] - a[1][0]));
  const perCall = (p) => ((p.total_ms * 1000) / p.calls).toFixed(0);
  const lines = [
    `V8-sampled µs per call by area (whole process life, start-up included; native writes charged to their JS caller):`,
    `  ${'area'.padEnd(52)} ${'proxy-sse'.padStart(9)} ${'gateway'.padStart(8)}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(52)} ${v[0].toFixed(0).padStart(9)} ${v[1].toFixed(0).padStart(8)}`),
    `  ${'total sampled'.padEnd(52)} ${perCall(proxy).padStart(9)} ${perCall(gateway).padStart(8)}`,
    `  ${'(/proc CPU of the measured burst)'.padEnd(52)} ${(proxy.cpu_ms_per_call * 1000).toFixed(0).padStart(9)} ${(gateway.cpu_ms_per_call * 1000).toFixed(0).padStart(8)}`,
    '',
    'Gateway, top self time:',
    ...gateway.functions.slice(0, 20).map((f) => `  ${f.pct.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`),
  ];
  return lines.join('\n');
}
