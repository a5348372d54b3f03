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
