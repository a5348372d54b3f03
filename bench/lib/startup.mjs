// Daemon cold start to healthy: `node dist/cli.js serve --port <free>` in a fresh temp
// MCPLEXER_HOME, timed from spawn to the first 200 from `GET /api/v1/health` (public, no token),
// polled every POLL_MS. Then a warm start: the same home again, config, token and audit.db present.
// Cold and warm alternate per home, so background load hits both alike. Both run with the CLI's V8
// code cache beside dist/cli-bundle.js (src/cli/code-cache.ts), as every start after the first with
// a build does; `first` is a cold start with that cache removed: the first start after a build or
// an install (it writes the cache again when it stops).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DAEMON_START_FLAGS } from './daemon-flags.mjs';
import { removeOnExit, sleep, spawnGroup, stopGroup } from './proc.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const POLL_MS = 5;
const START_DEADLINE_MS = 15_000; // one start; far above the 400 ms goal
export const STARTUP_GOAL_MS = 400;

/** A port free right now on 127.0.0.1 (the gateway binds it a moment later). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function healthy(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false; // not listening yet (ECONNREFUSED) or not answering yet
  }
}

/** One start on `home`: ms from spawn to the first 200 from health; the process is stopped after. */
async function startOnce(home) {
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MCPLEXER_')));
  env.MCPLEXER_HOME = home;
  const url = `http://127.0.0.1:${port}/api/v1/health`;
  let output = '';
  const t0 = performance.now();
  const child = spawnGroup(process.execPath, [...DAEMON_START_FLAGS, path.join(ROOT, 'dist/cli.js'), 'serve', '--port', String(port)], { cwd: home, env });
  const keep = (chunk) => {
    output = (output + chunk).slice(-4096);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    while (!(await healthy(url))) {
      if (exited) throw new Error(`the gateway exited before it was healthy:\n${output}`);
      if (performance.now() - t0 > START_DEADLINE_MS) throw new Error(`not healthy after ${START_DEADLINE_MS} ms:\n${output}`);
      await sleep(POLL_MS);
    }
    return performance.now() - t0;
  } finally {
    await stopGroup(child.pid, 10_000); // SIGTERM: a clean stop, so the warm start finds no stale lock
  }
}

/** Removes the CLI's V8 code caches from dist/ (each runtime's), so the next start compiles the bundle. */
function dropCodeCache() {
  const dist = path.join(ROOT, 'dist');
  for (const name of readdirSync(dist)) if (name.endsWith('.v8cache')) rmSync(path.join(dist, name), { force: true });
}

const stats = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    runs: sorted.length,
    median_ms: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    min_ms: sorted[0],
    max_ms: sorted.at(-1),
    samples_ms: ms.map((v) => Number(v.toFixed(1))),
  };
};

/**
 * `runs` rounds, until `budgetMs` is spent (at least one): a first start (fresh home, the code
 * cache removed), then a fresh home started cold and then warm (with the cache the first wrote).
 * @returns {{ cold, warm, first, poll_ms, goal_ms }} with `runs`, `median_ms`, `min_ms`, `max_ms`, `samples_ms`.
 * @throws Error when a start fails or does not answer health within START_DEADLINE_MS.
 */
export async function measureStartup({ runs = 10, budgetMs = 120_000, log = () => undefined } = {}) {
  const cold = [];
  const warm = [];
  const first = [];
  const deadline = Date.now() + budgetMs;
  log(
    `startup: ${runs} rounds of a first start (fresh home, no code cache), then a fresh home started cold then warm; spawn -> first 200 from /api/v1/health (poll ${POLL_MS} ms)`,
  );
  for (let i = 0; i < runs && (i === 0 || Date.now() < deadline); i++) {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-bench-start-'));
    const fresh = mkdtempSync(path.join(tmpdir(), 'mcplexer-bench-start-'));
    removeOnExit(home);
    removeOnExit(fresh);
    try {
      // First, so that the cold and warm starts find a cache written by a daemon's run, as they would.
      dropCodeCache();
      first.push(await startOnce(fresh)); // it writes the cache again as it stops
      cold.push(await startOnce(home));
      warm.push(await startOnce(home));
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  if (cold.length < runs) log(`startup: budget of ${budgetMs / 1000} s spent after ${cold.length} of ${runs} homes`);
  return { cold: stats(cold), warm: stats(warm), first: stats(first), poll_ms: POLL_MS, goal_ms: STARTUP_GOAL_MS };
}

/** The line the run prints: `daemon start to healthy: cold median … ms (max …), warm …; goal ≤ 400 ms; first start …`. */
export function startupLine(s) {
  const f = (v) => v.toFixed(0);
  return (
    `daemon start to healthy (${s.cold.runs} runs): cold median ${f(s.cold.median_ms)} ms (max ${f(s.cold.max_ms)}), ` +
    `warm median ${f(s.warm.median_ms)} ms (max ${f(s.warm.max_ms)}); goal ≤ ${s.goal_ms} ms; ` +
    `first start after a build (no code cache) median ${f(s.first.median_ms)} ms (max ${f(s.first.max_ms)})`
  );
}
