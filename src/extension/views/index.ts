// STAND-IN (E3, issue 16): E4 owns src/extension/views/ and replaces this file at merge. It has the
// contract's names only, so activation can call it before E4's views exist.
import type * as vscode from 'vscode';
import type { GatewayConnection } from '../gateway-connection.js';

export interface ViewDeps {
  gateway: GatewayConnection;
  log: vscode.LogOutputChannel;
}

export function registerViews(context: vscode.ExtensionContext, deps: ViewDeps): vscode.Disposable[] {
  void context;
  void deps;
  return [];
}
