import { describe, expect, it } from 'vitest';
import { Unanswered } from './unanswered.js';

describe('Unanswered: the requests the bridge still owes its client', () => {
  it('owes requests (a batch’s too), not notifications or responses, and is empty once each is answered', async () => {
    const owed = new Unanswered();
    owed.note({ jsonrpc: '2.0', id: 1, method: 'initialize' });
    owed.note({ jsonrpc: '2.0', method: 'notifications/initialized' });
    owed.note({ jsonrpc: '2.0', id: 9, result: {} });
    owed.note([
      { jsonrpc: '2.0', id: 'a', method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/cancelled' },
    ]);
    expect(owed.list()).toEqual([1, 'a']);
    let empty = false;
    const waiting = owed.empty().then(() => (empty = true));
    owed.settle(9); // not owed: ignored
    owed.settle(1);
    await Promise.resolve();
    expect(empty).toBe(false);
    owed.settle('a');
    await waiting;
    expect(owed.size).toBe(0);
  });

  it('emptyWithin says false when an answer never comes, true when every request and send settled', async () => {
    const owed = new Unanswered();
    owed.note({ jsonrpc: '2.0', id: 2, method: 'tools/call' });
    expect(await owed.emptyWithin(1, [])).toBe(false);
    const send = Promise.resolve();
    setImmediate(() => owed.settle(2));
    expect(await owed.emptyWithin(60_000, [send])).toBe(true);
  });
});
