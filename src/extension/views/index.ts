/**
 * The views module: the MCPlexer container's webview views (Servers, Routes, Dashboard, Audit,
 * Approvals) and the commands
 * that act on them. The views reach the daemon only through the host (postMessage → host →
 * RestClient; daemon events relayed back), never by themselves: the daemon refuses a
 * `vscode-webview://` Origin by design. See README.md beside this file.
 */
import * as vscode from 'vscode';
import type { GatewayConnection } from '../gateway-connection.js';
import { clientSource } from './client-source.js';
import { registerViewCommands } from './commands.js';
import { registerDashboardCommands } from './dashboard-commands.js';
import { VIEWS } from '../../shared/webviews/host/views.js';
import { registerAuditCommands } from './audit-commands.js';
import { ViewHost } from './view-provider.js';
import { approvalsView } from './approvals-view.js';

export interface ViewDeps {
  gateway: GatewayConnection;
  log: vscode.LogOutputChannel;
}

export const SERVERS_VIEW_ID = 'mcplexer.servers';
export const ROUTES_VIEW_ID = 'mcplexer.routes';
export const DASHBOARD_VIEW_ID = 'mcplexer.dashboard';
export const AUDIT_VIEW_ID = 'mcplexer.audit';

/**
 * Registers the Servers, Routes, Dashboard, Audit and Approvals webview views and the commands
 * `mcplexer.openServers`, `mcplexer.addServer`, `mcplexer.discoverTools`, `mcplexer.addRoute`,
 * `mcplexer.dryRun`, `mcplexer.openDashboard`, `mcplexer.flushCaches`, `mcplexer.showAuditLog`.
 * Returns what to dispose (also pushed to `context.subscriptions` by the caller if it wishes).
 */
export function registerViews(context: vscode.ExtensionContext, deps: ViewDeps): vscode.Disposable[] {
  const source = clientSource(deps.gateway);
  const common = { extensionUri: context.extensionUri, gateway: deps.gateway, log: deps.log, source };
  const servers = new ViewHost({ ...common, ...VIEWS.servers, viewId: SERVERS_VIEW_ID });
  const routes = new ViewHost({ ...common, ...VIEWS.routes, viewId: ROUTES_VIEW_ID });
  const dashboard = new ViewHost({ ...common, ...VIEWS.dashboard, viewId: DASHBOARD_VIEW_ID });
  const audit = new ViewHost({ ...common, ...VIEWS.audit, viewId: AUDIT_VIEW_ID });
  const approvals = approvalsView(common);
  return [
    ...approvals,
    servers,
    routes,
    vscode.window.registerWebviewViewProvider(SERVERS_VIEW_ID, servers),
    vscode.window.registerWebviewViewProvider(ROUTES_VIEW_ID, routes),
    audit,
    vscode.window.registerWebviewViewProvider(AUDIT_VIEW_ID, audit),
    ...registerViewCommands({ source, servers, routes, log: deps.log }),
    dashboard,
    vscode.window.registerWebviewViewProvider(DASHBOARD_VIEW_ID, dashboard),
    ...registerDashboardCommands({ source, dashboard, log: deps.log }),
    ...registerAuditCommands(audit, deps.log),
  ];
}
