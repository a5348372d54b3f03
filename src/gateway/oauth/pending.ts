import { randomBytes } from 'node:crypto';

/** One authorization started and not yet completed. */
export interface PendingAuthorization {
  scopeId: string;
  providerId: string;
  codeVerifier: string;
  redirectUri: string;
  usePkce: boolean;
  resource?: string;
  /** ms since the epoch. */
  createdAt: number;
}

/** A fresh `state`: 16 random bytes, hex (128 bits: not guessable). */
export function newState(): string {
  return randomBytes(16).toString('hex');
}

/** How long an authorization may take, from the authorize URL to the callback (ms). */
export const STATE_TTL_MS = 10 * 60_000;

/**
 * The `state` values of authorizations in progress: 16 random bytes (hex), each bound to its
 * scope and PKCE verifier, valid for `STATE_TTL_MS`, usable once (deleted on the first lookup,
 * even when expired), kept in memory only: a restart voids them, and the user starts again.
 */
export class PendingAuthorizations {
  private readonly entries = new Map<string, PendingAuthorization>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Records the authorization that `state` (from `newState()`) stands for. */
  put(state: string, entry: Omit<PendingAuthorization, 'createdAt'>): void {
    this.sweep();
    this.entries.set(state, { ...entry, createdAt: this.now() });
  }

  /** Takes the authorization of `state` out: `unknown` (never issued, already used, or forged), `expired`, or the entry. */
  take(state: string): PendingAuthorization | 'unknown' | 'expired' {
    const entry = this.entries.get(state);
    if (!entry) return 'unknown';
    this.entries.delete(state);
    return this.now() - entry.createdAt > STATE_TTL_MS ? 'expired' : entry;
  }

  private sweep(): void {
    const limit = this.now() - STATE_TTL_MS;
    for (const [state, entry] of this.entries) if (entry.createdAt < limit) this.entries.delete(state);
  }
}
