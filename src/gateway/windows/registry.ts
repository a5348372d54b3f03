import { EventEmitter } from 'node:events';
import type { WindowInfo, WindowLease, WindowRegistration } from '../../shared/schemas/daemon.js';
import { GatewayError } from '../errors.js';

/** The lease a window gets: 60 s; windows renew every 20 s, so two missed renewals are survived. */
export const DEFAULT_LEASE_SEC = 60;

interface Entry extends WindowRegistration {
  registeredAt: number;
  expiresAt: number;
}

export interface WindowRegistryOptions {
  /** Seconds a lease lasts; default `DEFAULT_LEASE_SEC`. */
  leaseSec?: number;
  /** The clock, ms since the epoch (tests). */
  now?: () => number;
}

/**
 * The editor windows attached to the daemon, each kept by a heartbeat lease: a window that
 * crashes stops renewing and is gone after one lease, so it cannot keep an idle daemon alive.
 * In memory only: a restarted daemon knows no window, and windows register again when a renewal
 * answers 404. Emits `changed` when a window registers, leaves or expires.
 */
export class WindowRegistry extends EventEmitter<{ changed: [] }> {
  private readonly windows = new Map<string, Entry>();
  readonly leaseSec: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: WindowRegistryOptions = {}) {
    super();
    this.leaseSec = options.leaseSec ?? DEFAULT_LEASE_SEC;
    this.now = options.now ?? Date.now;
    // Expiry is also checked on every read; the timer makes `changed` fire for a window that just went quiet.
    this.sweeper = setInterval(() => this.sweep(), Math.max(250, Math.min(5_000, (this.leaseSec * 1000) / 4)));
    this.sweeper.unref();
  }

  /** Registers a window (again: its folders and lease are replaced). */
  register(registration: WindowRegistration): WindowLease {
    this.sweep();
    const now = this.now();
    const known = this.windows.get(registration.window_id);
    const entry: Entry = { ...registration, registeredAt: known?.registeredAt ?? now, expiresAt: now + this.leaseSec * 1000 };
    this.windows.set(registration.window_id, entry);
    this.emit('changed');
    return this.lease(entry);
  }

  /**
   * Renews a window's lease.
   * @throws GatewayError `not_found` (404) for a window this daemon does not know (it restarted, or
   *   the lease ran out): the window registers again
   */
  renew(windowId: string): WindowLease {
    this.sweep();
    const entry = this.windows.get(windowId);
    if (!entry)
      throw new GatewayError(
        'not_found',
        `window "${windowId}" is not registered (the gateway restarted, or its lease ran out): register it again with POST /api/v1/windows`,
      );
    entry.expiresAt = this.now() + this.leaseSec * 1000;
    return this.lease(entry);
  }

  /** A window leaves; leaving twice (or after its lease ran out) is not an error. */
  unregister(windowId: string): void {
    this.sweep();
    if (this.windows.delete(windowId)) this.emit('changed');
  }

  /** The live windows, in registration order. */
  list(): WindowInfo[] {
    this.sweep();
    return [...this.windows.values()].map((entry) => ({
      window_id: entry.window_id,
      folders: entry.folders,
      client: entry.client,
      version: entry.version,
      registered_at: new Date(entry.registeredAt).toISOString(),
      expires_at: new Date(entry.expiresAt).toISOString(),
    }));
  }

  /** How many windows hold a live lease. */
  get live(): number {
    this.sweep();
    return this.windows.size;
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private lease(entry: Entry): WindowLease {
    return { window_id: entry.window_id, lease_sec: this.leaseSec, expires_at: new Date(entry.expiresAt).toISOString() };
  }

  /** Drops windows whose lease ran out. */
  private sweep(): void {
    const now = this.now();
    let expired = false;
    for (const [id, entry] of this.windows) {
      if (entry.expiresAt <= now) {
        this.windows.delete(id);
        expired = true;
      }
    }
    if (expired) this.emit('changed');
  }
}
