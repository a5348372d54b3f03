import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import { CODE_TTL_MS, MAX_PENDING_CODES, MAX_SESSIONS, SESSION_IDLE_MS, UiSessions } from './ui-sessions.js';

/** One-time codes and sessions on a clock the test moves: single use, expiry, idle end, bounds. */
function clocked() {
  let now = 1_000_000;
  const sessions = new UiSessions({ now: () => now });
  return { sessions, advance: (ms: number) => void (now += ms), now: () => now };
}

const refused = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('unauthorized');
    expect((error as GatewayError).message).toContain('mcplexer open');
    return;
  }
  throw new Error('expected a refusal');
};

describe('UiSessions', () => {
  it('spends a code once: the second exchange of the same code is refused', () => {
    const { sessions } = clocked();
    const { code } = sessions.issueCode();
    expect(sessions.touch(sessions.exchange(code))).toBe(true);
    refused(() => sessions.exchange(code));
  });

  it('refuses a code at its expiry and after, accepts it just before', () => {
    const a = clocked();
    const early = a.sessions.issueCode();
    a.advance(CODE_TTL_MS - 1);
    expect(typeof a.sessions.exchange(early.code)).toBe('string');
    const b = clocked();
    const { code, expires_at } = b.sessions.issueCode();
    expect(Date.parse(expires_at)).toBe(b.now() + CODE_TTL_MS);
    b.advance(CODE_TTL_MS);
    refused(() => b.sessions.exchange(code));
    const c = clocked();
    const late = c.sessions.issueCode();
    c.advance(CODE_TTL_MS * 10);
    refused(() => c.sessions.exchange(late.code));
  });

  it.each([
    ['a wrong code', 'x'.repeat(43)],
    ['an empty code', ''],
    ['a number', 42],
    ['nothing', undefined],
    ['an oversized code', 'y'.repeat(10_000)],
  ])('refuses %s', (_label, code) => {
    const { sessions } = clocked();
    sessions.issueCode();
    refused(() => sessions.exchange(code));
  });

  it('a wrong guess spends nothing else: the real code still works', () => {
    const { sessions } = clocked();
    const { code } = sessions.issueCode();
    refused(() => sessions.exchange(`${code}x`));
    expect(typeof sessions.exchange(code)).toBe('string');
  });

  it('ends a session after the idle time, and a use restarts the idle clock', () => {
    const { sessions, advance } = clocked();
    const kept = sessions.exchange(sessions.issueCode().code);
    const idle = sessions.exchange(sessions.issueCode().code);
    advance(SESSION_IDLE_MS - 1);
    expect(sessions.touch(kept)).toBe(true);
    advance(SESSION_IDLE_MS - 1);
    expect(sessions.touch(kept)).toBe(true);
    expect(sessions.touch(idle)).toBe(false);
    expect(sessions.touch(idle)).toBe(false);
  });

  it('knows only sessions it opened: unknown, empty and revoked values fail', () => {
    const { sessions } = clocked();
    const value = sessions.exchange(sessions.issueCode().code);
    expect(sessions.touch(undefined)).toBe(false);
    expect(sessions.touch('')).toBe(false);
    expect(sessions.touch(value.slice(0, -1))).toBe(false);
    sessions.revoke(value);
    expect(sessions.touch(value)).toBe(false);
  });

  it('keeps no secret: codes and sessions are stored as digests only', () => {
    const { sessions } = clocked();
    const { code } = sessions.issueCode();
    const other = sessions.issueCode().code;
    const value = sessions.exchange(other);
    const dump =
      JSON.stringify([...(sessions as unknown as { codes: Map<string, number> }).codes.keys()]) +
      JSON.stringify([...(sessions as unknown as { sessions: Map<string, number> }).sessions.keys()]);
    expect(dump).not.toContain(code);
    expect(dump).not.toContain(value);
  });

  it('is bounded: the oldest code and the least recently used session make room', () => {
    const { sessions } = clocked();
    const first = sessions.issueCode().code;
    for (let i = 0; i < MAX_PENDING_CODES; i += 1) sessions.issueCode();
    expect(sessions.size.codes).toBe(MAX_PENDING_CODES);
    refused(() => sessions.exchange(first));
    const opened = Array.from({ length: MAX_SESSIONS }, () => sessions.exchange(sessions.issueCode().code));
    expect(sessions.touch(opened[0])).toBe(true); // now the most recently used
    sessions.exchange(sessions.issueCode().code);
    expect(sessions.size.sessions).toBe(MAX_SESSIONS);
    expect(sessions.touch(opened[0])).toBe(true);
    expect(sessions.touch(opened[1])).toBe(false);
  });
});
