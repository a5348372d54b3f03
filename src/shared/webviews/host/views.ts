/**
 * Every webview view, once: its protocol, its bundle and how its host side is built. The extension
 * (`src/extension/views`) and the browser page the daemon serves build their hosts from this list,
 * so a view added here is in both.
 *
 * A handler set is built per view instance with a `HostContext`: `notify` reaches that instance
 * only, and `onDispose` runs when it goes (a hidden webview, a closed tab), so a view that asked
 * for a live stream (`audit/subscribe`, say) has it closed with the view.
 */
import type { z } from 'zod';
import type { AnyProtocol, ViewNoteOf } from '../protocol.js';
import { routesProtocol } from '../routes-protocol.js';
import { serversProtocol } from '../servers-protocol.js';
import type { ClientSource } from './client-source.js';
import type { Handlers } from './host-channel.js';
import { routesHandlers } from './routes-handlers.js';
import { serversHandlers } from './servers-handlers.js';

/** What a view's host side may do besides answering requests. */
export interface HostContext<P extends AnyProtocol> {
  /** Sends this view instance a notification (checked against the protocol; dropped with a log if invalid). */
  notify<M extends ViewNoteOf<P>>(method: M, params: z.input<P['toView'][M]>): void;
  /** Runs `dispose` when this view instance goes (streams to close, timers to clear). */
  onDispose(dispose: () => void): void;
}

export interface ViewEntry<P extends AnyProtocol> {
  protocol: P;
  /** The bundle's base name under dist/webview (`servers` → servers.js, servers.css). */
  bundle: string;
  title: string;
  handlers(source: ClientSource, context: HostContext<P>): Handlers<P>;
}

function entry<P extends AnyProtocol>(view: ViewEntry<P>): ViewEntry<P> {
  return view;
}

export const VIEWS = {
  servers: entry({ protocol: serversProtocol, bundle: 'servers', title: 'Servers', handlers: (source) => serversHandlers(source) }),
  routes: entry({ protocol: routesProtocol, bundle: 'routes', title: 'Routes', handlers: (source) => routesHandlers(source) }),
};

export type ViewName = keyof typeof VIEWS;
export const VIEW_NAMES = Object.keys(VIEWS) as ViewName[];
