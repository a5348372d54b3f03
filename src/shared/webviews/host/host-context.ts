import type { z } from 'zod';
import type { AnyProtocol, ViewNoteOf } from '../protocol.js';

/** What a view's host side may do besides answering requests. */
export interface HostContext<P extends AnyProtocol> {
  /** Sends this view instance a notification (checked against the protocol; dropped with a log if invalid). */
  notify<M extends ViewNoteOf<P>>(method: M, params: z.input<P['toView'][M]>): void;
  /** Runs `dispose` when this view instance goes (streams to close, timers to clear). */
  onDispose(dispose: () => void): void;
}
