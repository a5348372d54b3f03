import { describe, expect, it } from 'vitest';
import { newState, PendingAuthorizations, STATE_TTL_MS } from './pending.js';

const entry = { scopeId: 's', providerId: 'p', codeVerifier: 'v', redirectUri: 'http://127.0.0.1/cb', usePkce: true };

describe('PendingAuthorizations', () => {
  it('a state is 16 random bytes in hex, never the same twice', () => {
    const states = new Set(Array.from({ length: 100 }, newState));
    expect(states.size).toBe(100);
    for (const state of states) expect(state).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is single use: the second lookup of a state is unknown', () => {
    const pending = new PendingAuthorizations();
    pending.put('a', entry);
    expect(pending.take('a')).toMatchObject({ scopeId: 's', codeVerifier: 'v' });
    expect(pending.take('a')).toBe('unknown');
    expect(pending.take('never-issued')).toBe('unknown');
  });

  it.each([
    [STATE_TTL_MS - 1, 'entry'],
    [STATE_TTL_MS + 1, 'expired'],
    [STATE_TTL_MS * 3, 'expired'],
  ])('after %i ms the lookup is %s, and the state is gone either way', (elapsed, expected) => {
    let now = 1_000_000;
    const pending = new PendingAuthorizations(() => now);
    pending.put('b', entry);
    now += elapsed;
    const first = pending.take('b');
    expect(typeof first === 'string' ? first : 'entry').toBe(expected);
    expect(pending.take('b')).toBe('unknown');
  });
});
