/**
 * The views module: the MCPlexer container's webview views (Servers, Routes, Approvals) and the commands
 * that act on them. The views reach the daemon only through the host (postMessage → host →
 * RestClient; daemon events relayed back), never by themselves: the daemon refuses a
 * `vscode-webview://` Origin by design. See README.md beside this file.
 */
import * as vscode from 'vscode';
import type { GatewayConnection } from '../gateway-connection.js';
import { clientSource } from './client-source.js';
import { registerViewCommands } from './commands.js';
import { VIEWS } from '../../shared/webviews/host/views.js';
import { ViewHost } from './view-provider.js';
import { approvalsView } from './approvals-view.js';

export interface ViewDeps {
  gateway: GatewayConnection;
  log: vscode.LogOutputChannel;
}

export const SERVERS_VIEW_ID = 'mcplexer.servers';
export const ROUTES_VIEW_ID = 'mcplexer.routes';

/**
 * Registers the Servers and Routes webview views and the commands `mcplexer.openServers`,
 * `mcplexer.addServer`, `mcplexer.discoverTools`, `mcplexer.addRoute`, `mcplexer.dryRun`.
 * Returns what to dispose (also pushed to `context.subscriptions` by the caller if it wishes).
 */
export function registerViews(context: vscode.ExtensionContext, deps: ViewDeps): vscode.Disposable[] {
  const source = clientSource(deps.gateway);
  const common = { extensionUri: context.extensionUri, gateway: deps.gateway, log: deps.log, source };
  const servers = new ViewHost({ ...common, ...VIEWS.servers, viewId: SERVERS_VIEW_ID });
  const routes = new ViewHost({ ...common, ...VIEWS.routes, viewId: ROUTES_VIEW_ID });
  const approvals = approvalsView(common);
  return [
    ...approvals,
    servers,
    routes,
    vscode.window.registerWebviewViewProvider(SERVERS_VIEW_ID, servers),
    vscode.window.registerWebviewViewProvider(ROUTES_VIEW_ID, routes),
    ...registerViewCommands({ source, servers, routes, log: deps.log }),
  ];
}
