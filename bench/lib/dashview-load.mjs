// The load side of the dashboard-view bench, in its own process so its work never shows in the
// measured process's event loop: `sessions` SDK v1 sessions to the gateway make `rate` tools/call
// per second in total (open loop: each call starts at its planned time, whatever the others do)
// for `seconds`. Prints `start` when the calls begin, then one JSON line: {calls, failed, seconds,
// rate, last_done_at (wall clock, ms)}.
// Usage: node bench/lib/dashview-load.mjs <gateway url> <token> <tool> <rate> <seconds> <sessions>
import { performance } from 'node:perf_hooks';
import { connect } from './clients.mjs';

const [url, token, tool, rateArg, secondsArg, sessionsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const target = { id: 'gateway', kind: 'http', url, token, tool };
const sessions = await Promise.all(Array.from({ length: Number(sessionsArg) }, () => connect(target)));

const total = Math.round(rate * seconds);
let started = 0;
let done = 0;
let failed = 0;
let firstError;
/** Wall-clock time (ms since the epoch) the last call settled: the measuring process compares its own. */
let lastDoneAt = 0;
// The measuring process starts its clock at this line (the sessions are connected).
process.stdout.write('start\n');
const begin = performance.now();
await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - begin) * rate) / 1000) + 1);
    for (; started < due; started++) {
      const { client } = sessions[started % sessions.length];
      client
        .callTool({ name: tool, arguments: { message: `dashboard bench ${started}` } }, undefined, { timeout: 30_000 })
        .catch((error) => {
          failed += 1;
          firstError ??= error.message;
        })
        .finally(() => {
          done += 1;
          lastDoneAt = Date.now();
          if (done === total) resolve();
        });
    }
    if (started < total) setTimeout(tick, 2);
  };
  tick();
});
const elapsed = (performance.now() - begin) / 1000;
await Promise.all(sessions.map((s) => s.close()));
process.stdout.write(
  `${JSON.stringify({ calls: total, failed, seconds: elapsed, rate: total / elapsed, last_done_at: lastDoneAt, ...(firstError ? { first_error: firstError } : {}) })}\n`,
);
process.exit(0);
