import type { z } from 'zod';
import type { AnyProtocol, ViewNoteOf } from '../protocol.js';

/**
 * What a view's host side may do besides answering requests, per view instance (see `views.ts`).
 * In its own file so the handlers can take it without importing `views.ts`, which imports them.
 */
export interface HostContext<P extends AnyProtocol> {
  /** Sends this view instance a notification (checked against the protocol; dropped with a log if invalid). */
  notify<M extends ViewNoteOf<P>>(method: M, params: z.input<P['toView'][M]>): void;
  /** Runs `dispose` when this view instance goes (streams to close, timers to clear). */
  onDispose(dispose: () => void): void;
  /** Where the host can run its own Connect Account (VS Code: browser, progress, messages), starts it for a server and returns at once. */
  connectAccount?(serverId: string): void;
}

/**
 * What one view instance's handlers asked to close. A handler may register after its view has gone
 * (an `audit/subscribe` still in flight when the view was hidden): that late registration runs at
 * once, so the stream it opened is closed instead of outliving the view.
 */
export class InstanceDisposers {
  private readonly pending: Array<() => void> = [];
  private gone = false;

  constructor(private readonly onError: (error: Error) => void) {}

  /** True once `dispose` ran: the instance's notifications must go nowhere. */
  get disposed(): boolean {
    return this.gone;
  }

  add(dispose: () => void): void {
    if (this.gone) this.run(dispose);
    else this.pending.push(dispose);
  }

  dispose(): void {
    this.gone = true;
    for (const dispose of this.pending.splice(0)) this.run(dispose);
  }

  private run(dispose: () => void): void {
    try {
      dispose();
    } catch (error) {
      this.onError(error as Error);
    }
  }
}
