import type * as vscode from 'vscode';
import { ApiError, type RestClient } from '../shared/rest-client.js';

export const RENEW_MS = 20_000;

export interface LeaseDeps {
  windowId: string;
  version: string;
  client: () => RestClient | undefined;
  folders: () => readonly string[];
  log: vscode.LogOutputChannel;
}

/**
 * This window's registration with the daemon (`POST /api/v1/windows`): its folders, renewed every
 * 20 s (the lease is 60 s, so a crashed window stops keeping the daemon alive within a minute).
 * A renewal answered 404 means the daemon forgot the window (it restarted): register again.
 */
export class WindowLease implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsupported = false;

  constructor(private readonly deps: LeaseDeps) {}

  /** Registers (again) with the current folders and keeps the lease renewed. */
  async register(): Promise<void> {
    const client = this.deps.client();
    if (!client || this.unsupported) return;
    try {
      await client.registerWindow({ window_id: this.deps.windowId, folders: [...this.deps.folders()], client: 'vscode', version: this.deps.version });
      this.timer ??= setInterval(() => void this.renew(), RENEW_MS);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        // A daemon from before window leases: it never exits by itself, so there is nothing to keep alive.
        this.unsupported = true;
        this.deps.log.warn('this gateway has no window registration (POST /api/v1/windows answered 404); it is older than the extension');
        return;
      }
      this.deps.log.error(`could not register this window with the gateway: ${(error as Error).message}`);
    }
  }

  /** Stops renewing (the daemon is gone); `register()` starts again. */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.unsupported = false;
  }

  async renew(): Promise<void> {
    const client = this.deps.client();
    if (!client) return;
    try {
      await client.renewWindowLease(this.deps.windowId);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return this.register();
      this.deps.log.warn(`could not renew this window's lease: ${(error as Error).message}`);
    }
  }

  /** Unregisters (on deactivate): at most 1 s, so closing a window is never held up. */
  async unregister(): Promise<void> {
    this.pause();
    const client = this.deps.client();
    if (!client) return;
    await Promise.race([
      client.unregisterWindow(this.deps.windowId).catch((error: Error) => this.deps.log.warn(`could not unregister this window: ${error.message}`)),
      new Promise((resolve) => setTimeout(resolve, 1000)),
    ]);
  }

  dispose(): void {
    this.pause();
  }
}
