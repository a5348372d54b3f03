// The failure count of one instance: crashes in a row back off; a connection that proved itself
// (up `healthyAfterMs`, or answered a call and stayed up `servedUpMs`) starts the count over.
import { describe, expect, it } from 'vitest';
import { FailureRecord } from './failure-record.js';

const POLICY = { baseMs: 500, maxMs: 30_000 };

describe('FailureRecord', () => {
  it('counts crashes in a row and backs off: 0, then 0.5 s, 1 s …', () => {
    const record = new FailureRecord(60_000, POLICY, 1_000);
    record.ready(0);
    record.record('crash', 100);
    expect([record.count, record.nextStartAt]).toEqual([1, 100]);
    record.ready(100);
    record.record('crash', 200);
    expect([record.count, record.nextStartAt]).toEqual([2, 700]);
    record.ready(700);
    record.record('crash', 800);
    expect([record.count, record.nextStartAt]).toEqual([3, 1_800]);
  });

  it('a connection that answered a call and stayed up servedUpMs resets the count: its crash restarts at once', () => {
    const record = new FailureRecord(60_000, POLICY, 1_000);
    record.count = 4; // a bad start earlier
    record.ready(10_000);
    record.served();
    expect(record.consecutive(true, 10_999)).toBe(4); // not up long enough yet
    expect(record.consecutive(true, 11_000)).toBe(0);
    record.record('crash after serving', 12_000);
    expect([record.count, record.nextStartAt]).toEqual([1, 12_000]);
  });

  it('serving is not enough before servedUpMs, nor is being up without serving; a new connection must serve again', () => {
    const record = new FailureRecord(60_000, POLICY, 1_000);
    record.ready(0);
    record.served();
    record.record('crash right after its first answer', 500);
    expect(record.count).toBe(1);
    record.ready(500);
    record.record('up 5 s, never answered', 5_500); // below healthyAfterMs, and it served nothing
    expect(record.count).toBe(2);
    record.ready(6_000);
    record.record('crash', 8_000); // this connection served nothing: the earlier served() is not its
    expect(record.count).toBe(3);
  });

  it('a connection up healthyAfterMs resets the count whether or not it served', () => {
    const record = new FailureRecord(60_000, POLICY, 1_000);
    record.count = 3;
    record.ready(1_000); // epoch ms (0 means no connection is ready)
    record.record('crash a minute later', 61_000);
    expect(record.count).toBe(1);
  });
});
