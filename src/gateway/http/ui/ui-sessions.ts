import { createHash, randomBytes } from 'node:crypto';
import { GatewayError } from '../../errors.js';

/** How long a one-time code may wait for its exchange, ms. */
export const CODE_TTL_MS = 60_000;
/** A browser session ends after this long without a request, ms (and always with the daemon). */
export const SESSION_IDLE_MS = 8 * 60 * 60_000;
/** At most this many codes wait at once, and this many sessions live at once (the oldest go first). */
export const MAX_PENDING_CODES = 16;
export const MAX_SESSIONS = 32;

export interface UiSessionsOptions {
  /** Milliseconds since the epoch; tests move it. Default `Date.now`. */
  now?: () => number;
  codeTtlMs?: number;
  sessionIdleMs?: number;
}

/** A code as handed to a token holder: the secret itself (shown once, never stored) and when it lapses. */
export interface IssuedCode {
  code: string;
  /** ISO 8601 UTC. */
  expires_at: string;
}

const secret = () => randomBytes(32).toString('base64url');
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

/**
 * The browser dashboard's one-time codes and sessions, in memory (they end with the
 * daemon). Only SHA-256 digests are kept, so a heap dump or a log of this state yields no
 * usable secret; both secrets are 256 random bits, so a digest lookup needs no constant-time
 * compare. A code is used at most once and lapses after `codeTtlMs`; a session lapses after
 * `sessionIdleMs` without a request. Bounded: the oldest code or least recently used session
 * makes room, so nothing a caller does grows memory.
 */
export class UiSessions {
  private readonly codes = new Map<string, number>();
  /** digest → last use (ms); Map order is kept least recently used first. */
  private readonly sessions = new Map<string, number>();
  private readonly now: () => number;
  private readonly codeTtlMs: number;
  private readonly sessionIdleMs: number;

  constructor(options: UiSessionsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.codeTtlMs = options.codeTtlMs ?? CODE_TTL_MS;
    this.sessionIdleMs = options.sessionIdleMs ?? SESSION_IDLE_MS;
  }

  /** A fresh one-time code, valid for `codeTtlMs`. */
  issueCode(): IssuedCode {
    const code = secret();
    const expires = this.now() + this.codeTtlMs;
    this.codes.set(digest(code), expires);
    for (const key of this.codes.keys()) {
      if (this.codes.size <= MAX_PENDING_CODES) break;
      this.codes.delete(key);
    }
    return { code, expires_at: new Date(expires).toISOString() };
  }

  /**
   * Spends a code (whatever the outcome, it can never be spent again) and opens a session.
   * @returns the session secret, for the page to send in `X-MCPlexer-Session`
   * @throws GatewayError `unauthorized` (401) when the code is unknown, already used or expired
   */
  exchange(code: unknown): string {
    const key = typeof code === 'string' && code.length > 0 && code.length <= 128 ? digest(code) : undefined;
    const expires = key === undefined ? undefined : this.codes.get(key);
    if (key !== undefined) this.codes.delete(key);
    if (expires === undefined || expires <= this.now()) {
      throw new GatewayError(
        'unauthorized',
        'the one-time code is wrong, already used or expired (codes last 60 s and work once): run "mcplexer open" again, or enter the API token',
      );
    }
    const session = secret();
    this.sessions.set(digest(session), this.now());
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= MAX_SESSIONS) break;
      this.sessions.delete(oldest);
    }
    return session;
  }

  /** Whether `value` is a live session; a hit counts as use (the idle clock restarts). */
  touch(value: string | undefined): boolean {
    if (!value) return false;
    const key = digest(value);
    const last = this.sessions.get(key);
    if (last === undefined) return false;
    this.sessions.delete(key);
    if (this.now() - last >= this.sessionIdleMs) return false;
    this.sessions.set(key, this.now());
    return true;
  }

  /** Ends a session (sign-out); unknown values are ignored. */
  revoke(value: string | undefined): void {
    if (value) this.sessions.delete(digest(value));
  }

  /** How many codes wait and sessions live (tests, and the bound above). */
  get size(): { codes: number; sessions: number } {
    return { codes: this.codes.size, sessions: this.sessions.size };
  }
}
