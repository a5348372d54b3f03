import { afterEach, describe, expect, it } from 'vitest';
import { WindowRegistry } from './registry.js';

const registration = (window_id: string) => ({ window_id, folders: ['/p'], client: 'vscode', version: '1.103.2' });

describe('WindowRegistry: heartbeat leases', () => {
  let clock = 1_000_000;
  let registry: WindowRegistry | undefined;
  afterEach(() => registry?.close());

  it('keeps a window while it renews, and forgets it one lease after it stops', () => {
    registry = new WindowRegistry({ leaseSec: 60, now: () => clock });
    let changes = 0;
    registry.on('changed', () => (changes += 1));
    expect(registry.register(registration('w1'))).toEqual({ window_id: 'w1', lease_sec: 60, expires_at: new Date(clock + 60_000).toISOString() });
    registry.register(registration('w2'));
    clock += 40_000;
    registry.renew('w1');
    clock += 30_000; // w2's lease ran out at +60 s; w1 renewed at +40 s runs to +100 s
    expect(registry.list().map((w) => w.window_id)).toEqual(['w1']);
    expect(registry.live).toBe(1);
    expect(() => registry!.renew('w2')).toThrow(/not registered.*register it again/);
    clock += 30_001;
    expect(registry.live).toBe(0);
    expect(changes).toBe(4); // two registrations, two expiries
  });

  it('keeps registered_at across a re-registration and treats leaving twice as done', () => {
    registry = new WindowRegistry({ leaseSec: 60, now: () => clock });
    registry.register(registration('w'));
    const first = registry.list()[0]!.registered_at;
    clock += 1000;
    registry.register({ ...registration('w'), folders: ['/q'] });
    expect(registry.list()).toMatchObject([{ window_id: 'w', folders: ['/q'], registered_at: first }]);
    registry.unregister('w');
    registry.unregister('w');
    expect(registry.live).toBe(0);
  });
});
