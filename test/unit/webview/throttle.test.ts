import { describe, expect, it } from 'vitest';
import { TrailingThrottle, type ThrottleClock } from '../../../src/shared/webviews/host/throttle.js';

/** A clock moved by hand: timers fire only when the test advances time past them. */
function manualClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: ThrottleClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  const advance = async (ms: number) => {
    const end = now + ms;
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    await settle();
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
      // Let the task's promise chain settle before the next timer.
      await settle();
    }
    now = end;
  };
  return { clock, advance, pending: () => timers.size };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('TrailingThrottle', () => {
  it('turns a burst of triggers into one run, one interval after the first trigger', async () => {
    const { clock, advance } = manualClock();
    const starts: number[] = [];
    const throttle = new TrailingThrottle(
      async () => void starts.push(clock.now()),
      500,
      () => undefined,
      clock,
    );
    for (let i = 0; i < 200; i++) {
      throttle.trigger();
      await advance(1);
    }
    // 200 triggers over 200 ms: nothing yet before 500 ms, then exactly one run.
    expect(starts).toEqual([]);
    await advance(300);
    expect(starts).toEqual([500]);
    await advance(2000);
    expect(starts).toEqual([500]);
  });

  it('runs at most once per interval under a steady stream, and the last trigger is always followed by a run', async () => {
    const { clock, advance } = manualClock();
    const starts: number[] = [];
    const throttle = new TrailingThrottle(
      async () => void starts.push(clock.now()),
      500,
      () => undefined,
      clock,
    );
    // 5 s of a trigger every 5 ms (200/s).
    for (let t = 0; t < 5000; t += 5) {
      throttle.trigger();
      await advance(5);
    }
    const lastTrigger = 4995;
    await advance(1000);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(500);
    expect(starts.length).toBeLessThanOrEqual(11);
    expect(starts.length).toBeGreaterThanOrEqual(9);
    expect(starts.at(-1)!).toBeGreaterThan(lastTrigger);
  });

  it('never starts a run while one is in flight; a trigger during it gets exactly one more run', async () => {
    const { clock, advance } = manualClock();
    let inFlight = 0;
    let most = 0;
    const runs: Array<ReturnType<typeof deferred>> = [];
    const throttle = new TrailingThrottle(
      async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        const d = deferred();
        runs.push(d);
        await d.promise;
        inFlight -= 1;
      },
      500,
      () => undefined,
      clock,
    );
    throttle.trigger();
    await advance(500);
    expect(runs).toHaveLength(1);
    // The run is slow (2 s): triggers meanwhile start nothing.
    for (let i = 0; i < 10; i++) {
      throttle.trigger();
      await advance(200);
    }
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    await advance(0);
    // Its interval is long past: the one more run starts at once.
    expect(runs).toHaveLength(2);
    runs[1]!.resolve();
    await advance(5000);
    expect(runs).toHaveLength(2);
    expect(most).toBe(1);
  });

  it('reports a failed run and keeps going', async () => {
    const { clock, advance } = manualClock();
    const errors: unknown[] = [];
    let calls = 0;
    const throttle = new TrailingThrottle(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('gateway down');
      },
      500,
      (error) => void errors.push(error),
      clock,
    );
    throttle.trigger();
    await advance(500);
    throttle.trigger();
    await advance(500);
    expect(calls).toBe(2);
    expect(errors.map(String)).toEqual(['Error: gateway down']);
  });

  it('stop() cancels a planned run and plans nothing after the run in flight', async () => {
    const { clock, advance, pending } = manualClock();
    let calls = 0;
    const throttle = new TrailingThrottle(
      async () => void (calls += 1),
      500,
      () => undefined,
      clock,
    );
    throttle.trigger();
    throttle.stop();
    expect(pending()).toBe(0);
    throttle.trigger();
    await advance(5000);
    expect(calls).toBe(0);
    expect(throttle.busy).toBe(false);
  });
});
