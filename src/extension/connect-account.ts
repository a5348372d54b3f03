/**
 * "MCPlexer: Connect Account…" (`mcplexer.connectAccount`): a pick of the OAuth scopes that hold
 * no usable token and the remote servers with no OAuth scope yet (or a `{server_id}` /
 * `{auth_scope_id}` argument from the Servers view or a warning), then the authorize URL opened
 * with `vscode.env.openExternal` and a progress notification until the gateway holds the token
 * (`oauth/status` connected) or says why not. Failures are shown, never thrown.
 */
import * as vscode from 'vscode';
import type { RestClient } from '../shared/rest-client.js';
import { beginConnect, beginScope, CONNECTED, waitForConnection, type ConnectStart } from '../shared/webviews/host/connect-account.js';
import { toWireError } from '../shared/webviews/host/wire-error.js';
import type { GatewayConnection } from './gateway-connection.js';
import { inert, showError, showInfo } from './notify.js';

export type ConnectTarget = { server_id: string } | { auth_scope_id: string; auth_scope_name?: string };

export interface ConnectAccountDeps {
  connection: Pick<GatewayConnection, 'state' | 'client'>;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
  /** Opens the authorize URL (default: `vscode.env.openExternal`). */
  open?: (url: string) => Thenable<boolean>;
  /** Between two status reads while waiting, ms (default 1000). */
  pollMs?: number;
}

/** What happened, for tests and callers: `already` when the scope held a valid token. */
export type ConnectResult = 'connected' | 'already' | 'failed' | 'cancelled' | 'nothing';

type PickItem = vscode.QuickPickItem & { target: ConnectTarget };

/** The scopes and servers waiting for an account, as quick-pick items; `any`: whether anything signs in with OAuth at all. */
async function candidates(client: RestClient): Promise<{ items: PickItem[]; any: boolean }> {
  const [scopes, servers, routes] = await Promise.all([client.listAuthScopes(), client.listDownstreams(), client.listRoutes()]);
  const items: PickItem[] = [];
  const oauthScopes = scopes.filter((s) => s.type === 'oauth2');
  const statuses = await Promise.all(oauthScopes.map((s) => client.oauthStatus(s.id).catch(() => undefined)));
  oauthScopes.forEach((scope, i) => {
    const status = statuses[i];
    if (status && CONNECTED.has(status.status) && status.error === undefined) return;
    items.push({
      label: `$(key) ${scope.name}`,
      description: status?.status === 'expired' ? 'expired: connect again' : 'not connected',
      ...(status?.error ? { detail: status.error } : {}),
      target: { auth_scope_id: scope.id, auth_scope_name: scope.name },
    });
  });
  const withOAuth = new Set(routes.filter((r) => oauthScopes.some((s) => s.id === r.auth_scope_id)).map((r) => r.server_id));
  for (const server of servers) {
    if (server.transport !== 'http' || withOAuth.has(server.id)) continue;
    items.push({ label: `$(globe) ${server.name}`, description: 'remote server: sign in (OAuth discovery)', target: { server_id: server.id } });
  }
  return { items, any: oauthScopes.length > 0 || servers.some((server) => server.transport === 'http') };
}

/** Runs Connect Account for `target`, or for the one the user picks. */
export async function connectAccount(deps: ConnectAccountDeps, target?: ConnectTarget): Promise<ConnectResult> {
  const client = deps.connection.state === 'ready' ? deps.connection.client : undefined;
  if (!client) {
    void showError('MCPlexer: the gateway is not running: run "MCPlexer: Restart Gateway" first, then connect the account.');
    return 'failed';
  }
  let start: ConnectStart;
  try {
    if (!target) {
      const { items, any } = await candidates(client);
      if (items.length === 0) {
        void showInfo(
          any
            ? 'MCPlexer: every OAuth account is connected, and no remote server is waiting for one.'
            : 'MCPlexer: nothing signs in with OAuth yet: add a remote (HTTP) MCP server, or an auth scope of type oauth2, then connect its account here.',
        );
        return 'nothing';
      }
      const picked = await vscode.window.showQuickPick(items, {
        title: 'MCPlexer: Connect Account',
        placeHolder: 'The account or remote server to sign in to',
      });
      if (!picked) return 'cancelled';
      target = picked.target;
    }
    start =
      'server_id' in target
        ? await beginConnect(client, target.server_id)
        : await beginScope(client, target.auth_scope_id, target.auth_scope_name ?? (await client.getAuthScope(target.auth_scope_id)).name);
  } catch (error) {
    const message = toWireError(error).message;
    deps.log.warn(`Connect Account failed: ${message}`);
    void showError(`MCPlexer: could not connect the account: ${message}`);
    return 'failed';
  }
  if (start.authorize_url === null) {
    void showInfo(`MCPlexer: "${start.auth_scope_name}" is already connected.`);
    return 'already';
  }
  // Only a web page is opened: the gateway checks the provider's metadata, and this is the second
  // layer (a file:, vscode: or command: URL would make the editor do what the provider says).
  if (!/^https?:\/\//i.test(start.authorize_url)) {
    void showError(`MCPlexer: the authorization URL for "${start.auth_scope_name}" is not a web address, so it was not opened: ${start.authorize_url}`);
    return 'failed';
  }
  // A string, not a Uri: VS Code opens a string as given, while a Uri is re-encoded on the way
  // (its query decoded and encoded again), which can alter `redirect_uri`, `scope` or `state`.
  const open = deps.open ?? ((url: string) => vscode.env.openExternal(url as unknown as vscode.Uri));
  if (!(await open(start.authorize_url))) {
    void showError(`MCPlexer: VS Code could not open a browser; open this link to connect "${start.auth_scope_name}": ${start.authorize_url}`);
    return 'failed';
  }
  return finish(deps, client, start);
}

async function finish(deps: ConnectAccountDeps, client: RestClient, start: ConnectStart): Promise<ConnectResult> {
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: inert(`MCPlexer: connecting "${start.auth_scope_name}"`), cancellable: true },
    (progress, token) => {
      progress?.report({ message: 'finish signing in in your browser…' });
      return waitForConnection(client, start.auth_scope_id, {
        ...(deps.pollMs === undefined ? {} : { intervalMs: deps.pollMs }),
        cancelled: () => token?.isCancellationRequested === true,
        ...(start.previous_error ? { previousError: start.previous_error } : {}),
      });
    },
  );
  if (outcome.ok) {
    deps.log.info(`OAuth account connected: ${start.auth_scope_name}`);
    void showInfo(`MCPlexer: "${start.auth_scope_name}" is connected; its server gets the token from now on.`);
    return 'connected';
  }
  if (outcome.reason === 'cancelled') return 'cancelled';
  deps.log.warn(`Connect Account for ${start.auth_scope_name}: ${outcome.message}`);
  void showError(`MCPlexer: connecting "${start.auth_scope_name}" failed: ${outcome.message}`);
  return 'failed';
}

/** Parses the command's argument: a server id, `{server_id}` or `{auth_scope_id, auth_scope_name?}`; anything else asks. */
export function connectTargetOf(arg: unknown): ConnectTarget | undefined {
  if (typeof arg === 'string' && arg) return { server_id: arg };
  if (arg && typeof arg === 'object') {
    const { server_id, auth_scope_id, auth_scope_name } = arg as Record<string, unknown>;
    if (typeof auth_scope_id === 'string') return { auth_scope_id, ...(typeof auth_scope_name === 'string' ? { auth_scope_name } : {}) };
    if (typeof server_id === 'string') return { server_id };
  }
  return undefined;
}
