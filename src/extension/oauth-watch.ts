/**
 * Tells the user when an OAuth account needs connecting again: a scope whose refresh (or last
 * exchange) failed carries `oauth_error` (GET /auth-scopes). Read when the window attaches and on
 * every `config.changed` event touching auth scopes (a failed refresh is a config write), each
 * error shown once, with a Connect Account button.
 */
import * as vscode from 'vscode';
import type { GatewayConnection } from './gateway-connection.js';
import { connectAccount, type ConnectAccountDeps } from './connect-account.js';
import { showWarning } from './notify.js';

export interface OAuthWatchDeps extends ConnectAccountDeps {
  connection: Pick<GatewayConnection, 'state' | 'client' | 'onEvent' | 'onDidChangeState'>;
}

export class OAuthErrorWatch implements vscode.Disposable {
  /** The error last shown per scope: the same error is not shown twice. */
  private readonly shown = new Map<string, string>();
  private readonly disposables: vscode.Disposable[];
  private checking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: OAuthWatchDeps) {
    this.disposables = [
      deps.connection.onDidChangeState((state) => void (state === 'ready' && this.check())),
      deps.connection.onEvent((event) => void (event.type === 'config.changed' && event.data.kinds.includes('auth_scopes') && this.check())),
    ];
    if (deps.connection.state === 'ready') void this.check();
  }

  /** Reads the scopes once (checks run one after another) and shows each new error; resolves when shown. */
  check(): Promise<void> {
    this.checking = this.checking.then(() => this.run());
    return this.checking;
  }

  private async run(): Promise<void> {
    const client = this.deps.connection.state === 'ready' ? this.deps.connection.client : undefined;
    if (!client) return;
    let scopes;
    try {
      scopes = await client.listAuthScopes();
    } catch (error) {
      this.deps.log.warn(`could not read the auth scopes for OAuth errors: ${(error as Error).message}`);
      return;
    }
    for (const scope of scopes) {
      const error = scope.type === 'oauth2' ? scope.oauth_error : undefined;
      if (error === undefined) {
        this.shown.delete(scope.id);
        continue;
      }
      if (this.shown.get(scope.id) === error) continue;
      this.shown.set(scope.id, error);
      void showWarning(`MCPlexer: the OAuth account of auth scope "${scope.name}" needs connecting again: ${error}`, 'Connect Account').then((choice) =>
        choice === 'Connect Account' ? connectAccount(this.deps, { auth_scope_id: scope.id, auth_scope_name: scope.name }) : undefined,
      );
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
