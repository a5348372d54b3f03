/**
 * Every webview view, once: its protocol, its bundle and how its host side is built. The extension
 * (`src/extension/views`) and the browser page the daemon serves build their hosts from this list,
 * so a view added here is in both.
 *
 * A handler set is built per view instance with a `HostContext`: `notify` reaches that instance
 * only, and `onDispose` runs when it goes (a hidden webview, a closed tab), so a view that asked
 * for a live stream (`audit/subscribe`, say) has it closed with the view.
 */
import { approvalsProtocol } from '../approvals-protocol.js';
import { auditProtocol } from '../audit-protocol.js';
import { dashboardProtocol } from '../dashboard-protocol.js';
import type { AnyProtocol } from '../protocol.js';
import { routesProtocol } from '../routes-protocol.js';
import { serversProtocol } from '../servers-protocol.js';
import { approvalsHandlers } from './approvals-handlers.js';
import { auditHandlers } from './audit-handlers.js';
import type { ClientSource } from './client-source.js';
import { dashboardHandlers } from './dashboard-handlers.js';
import type { Handlers } from './host-channel.js';
import type { HostContext } from './host-context.js';
import { routesHandlers } from './routes-handlers.js';
import { serversHandlers } from './servers-handlers.js';

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
  servers: entry({ protocol: serversProtocol, bundle: 'servers', title: 'Servers', handlers: (source, context) => serversHandlers(source, context) }),
  routes: entry({ protocol: routesProtocol, bundle: 'routes', title: 'Routes', handlers: (source) => routesHandlers(source) }),
  dashboard: entry({ protocol: dashboardProtocol, bundle: 'dashboard', title: 'Dashboard', handlers: (source, context) => dashboardHandlers(source, context) }),
  audit: entry({ protocol: auditProtocol, bundle: 'audit', title: 'Audit', handlers: (source, context) => auditHandlers(source, context) }),
  approvals: entry({ protocol: approvalsProtocol, bundle: 'approvals', title: 'Approvals', handlers: approvalsHandlers }),
};

export type ViewName = keyof typeof VIEWS;
export const VIEW_NAMES = Object.keys(VIEWS) as ViewName[];

export type { HostContext } from './host-context.js';
