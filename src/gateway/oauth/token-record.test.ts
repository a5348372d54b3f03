import { describe, expect, it } from 'vitest';
import { recordFrom, refreshDueAt, REFRESH_MARGIN_MS, statusOf, wantsRefresh, type TokenRecord } from './token-record.js';

const NOW = 10_000_000_000;
const record = (left: number, lifetime = 3_600_000, refresh = true): TokenRecord => ({
  access_token: 'a',
  token_type: 'Bearer',
  ...(refresh ? { refresh_token: 'r' } : {}),
  expires_at: NOW + left,
  obtained_at: NOW + left - lifetime,
  scope: 'read write',
});

describe('statusOf', () => {
  it.each([
    ['no token', undefined, {}, 'not_configured'],
    ['an hour left', record(3_600_000), {}, 'valid'],
    ['4 minutes left, refresh token', record(4 * 60_000), {}, 'refresh_needed'],
    ['4 minutes left, no refresh token', record(4 * 60_000, 3_600_000, false), {}, 'valid'],
    ['expired', record(-1), {}, 'expired'],
    ['a refresh in flight', record(-1), { refreshing: true }, 'refreshing'],
    ['the last refresh failed', record(3_600_000), { error: 'refresh failed: invalid_grant' }, 'expired'],
  ] as const)('%s → %s', (_label, rec, opts, expected) => {
    expect(statusOf(rec, { refreshing: false, ...opts, now: NOW }).status).toBe(expected);
  });

  it('answers the granted scopes and the expiry as RFC 3339', () => {
    expect(statusOf(record(60_000), { refreshing: false, now: NOW })).toMatchObject({
      scopes: ['read', 'write'],
      expires_at: new Date(NOW + 60_000).toISOString(),
    });
  });
});

describe('wantsRefresh', () => {
  it.each([
    ['an hour-long token with 6 minutes left', record(6 * 60_000), false],
    ['an hour-long token with 4 minutes left', record(4 * 60_000), true],
    ['an expired token', record(-1), true],
    ['a 2-minute token just issued (not on every call)', record(119_000, 120_000), false],
    ['a 2-minute token past half its life', record(59_000, 120_000), true],
    ['no refresh token', record(-1, 3_600_000, false), false],
  ] as const)('%s → %s', (_label, rec, expected) => {
    expect(wantsRefresh(rec, NOW)).toBe(expected);
  });

  it('is due at expiry minus the margin (or half the lifetime)', () => {
    expect(refreshDueAt(record(3_600_000))).toBe(NOW + 3_600_000 - REFRESH_MARGIN_MS);
  });
});

describe('recordFrom', () => {
  it('keeps the refresh token, scope and resource a refresh answer leaves out', () => {
    const next = recordFrom(
      { access_token: 'b', token_type: 'Bearer', expires_in: 60 },
      { refresh_token: 'r', scope: 'read', resource: 'https://mcp.example/' },
      NOW,
    );
    expect(next).toEqual({
      access_token: 'b',
      token_type: 'Bearer',
      refresh_token: 'r',
      expires_at: NOW + 60_000,
      obtained_at: NOW,
      scope: 'read',
      resource: 'https://mcp.example/',
    });
  });
  it('takes a new refresh token and scope when they come back', () => {
    const next = recordFrom({ access_token: 'b', token_type: 'bearer', refresh_token: 'r2', scope: 'read write' }, { refresh_token: 'r', scope: 'read' }, NOW);
    expect(next).toMatchObject({ refresh_token: 'r2', scope: 'read write' });
    expect(next).not.toHaveProperty('expires_at');
  });
});
