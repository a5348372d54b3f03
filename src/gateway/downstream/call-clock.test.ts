// The call's clock on a fake clock: it fires after the timeout, stops while the client answers the
// server and goes on from where it stopped, restarts on progress only while running, and never
// fires after stop.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallClock } from './call-clock.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function clock(timeoutMs: number) {
  const fired = vi.fn();
  return { clock: new CallClock(timeoutMs, fired), fired };
}

describe('CallClock', () => {
  it('fires once when the timeout is up', () => {
    const { fired } = clock(1_000);
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(5_000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('stops while a request waits for the client and goes on with what was left', () => {
    const { clock: c, fired } = clock(1_000);
    vi.advanceTimersByTime(600);
    c.pause();
    vi.advanceTimersByTime(60_000);
    expect(fired).not.toHaveBeenCalled();
    c.resume();
    vi.advanceTimersByTime(399);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('runs again only when the last of several waiting requests is answered', () => {
    const { clock: c, fired } = clock(1_000);
    c.pause();
    c.pause();
    c.resume();
    vi.advanceTimersByTime(10_000);
    expect(fired).not.toHaveBeenCalled();
    c.resume();
    c.resume(); // one too many: ignored
    vi.advanceTimersByTime(1_000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('restarts on progress while running, and not while stopped', () => {
    const { clock: c, fired } = clock(1_000);
    vi.advanceTimersByTime(900);
    c.touch();
    vi.advanceTimersByTime(900);
    expect(fired).not.toHaveBeenCalled();
    c.pause();
    c.touch();
    c.resume(); // 100 ms were left
    vi.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('never fires after stop, whatever comes after', () => {
    const { clock: c, fired } = clock(1_000);
    c.stop();
    c.touch();
    c.pause();
    c.resume();
    vi.advanceTimersByTime(10_000);
    expect(fired).not.toHaveBeenCalled();
  });
});
