import { EventEmitter } from 'node:events';
import type { ConfigStore } from '../config/index.js';
import type { Logger } from '../log.js';
import type { SecretBox } from '../secrets/index.js';
import { parseBody } from '../config/index.js';
import { oauthDiscoverRequestSchema, type OAuthDiscoverResult, type OAuthStatus, type OAuthTemplate } from '../../shared/schemas/index.js';
import { authorizeUrl } from './authorize.js';
import { completeAuthorization, type CallbackOutcome, type CallbackQuery } from './callback.js';
import { connectServer, type ConnectAnswer } from './connect.js';
import { findScope, requireOAuthScope, type OAuthContext, type TokenChange } from './context.js';
import { scopeCredentials, type ScopeCredentials } from './credentials.js';
import { discoverIssuer } from './discover.js';
import { PendingAuthorizations } from './pending.js';
import { ProviderService } from './providers.js';
import { quickSetup, type SetupAnswer } from './quick-setup.js';
import { Refresher } from './refresh.js';
import { capabilities, scopeStatus, serverStatus, setupServer, type Capabilities, type ServerStatusEntry } from './remote.js';
import { revokeScope } from './revoke.js';
import { listTemplates } from './templates.js';
import { refreshDueAt } from './token-record.js';
import { TokenStore } from './token-store.js';

export interface OAuthOptions {
  store: ConfigStore;
  box: SecretBox;
  logger: Logger;
  /** The gateway's environment: `MCPLEXER_EXTERNAL_URL` is the base of the callback URL behind a proxy. */
  env: Record<string, string | undefined>;
  /** The port the gateway listens on, read per request (the callback URL is `http://127.0.0.1:<port>/…` otherwise). */
  port: () => number;
}

/** Events: `token` when a scope's tokens changed (the pool restarts stdio instances holding the old one). */
export interface OAuthEvents {
  token: [scopeId: string, change: TokenChange];
}

/**
 * The OAuth side of the gateway (see README.md): providers, templates, the authorization-code
 * flow with PKCE, the callback, refresh, revocation, and MCP authorization for remote servers.
 * Every method is one REST endpoint's behaviour; `credentials` is the pool's scope resolver.
 */
export class OAuthService extends EventEmitter<OAuthEvents> {
  readonly providers: ProviderService;
  private readonly ctx: OAuthContext;
  /** One timer per scope holding a refreshable token: it fires when `wantsRefresh` turns true. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: OAuthOptions) {
    super();
    const refresher = new Refresher();
    this.providers = new ProviderService(options.store, options.box);
    this.ctx = {
      store: options.store,
      box: options.box,
      logger: options.logger,
      providers: this.providers,
      tokens: new TokenStore(options.store, options.box),
      pending: new PendingAuthorizations(),
      refresher,
      callbackUrl: () => this.callbackUrl(),
      tokenChanged: (scopeId, change) => {
        this.schedule(scopeId);
        this.emit('token', scopeId, change);
      },
    };
    refresher.bind(this.ctx);
    for (const scope of options.store.state.auth_scopes) if (scope.oauth_token !== undefined) this.schedule(scope.id);
  }

  /** `<external URL>/api/v1/oauth/callback`: `MCPLEXER_EXTERNAL_URL`, else loopback and the port the gateway got. */
  callbackUrl(): string {
    const base = this.options.env.MCPLEXER_EXTERNAL_URL?.trim().replace(/\/+$/, '') || `http://127.0.0.1:${this.options.port()}`;
    return `${base}/api/v1/oauth/callback`;
  }

  templates(): OAuthTemplate[] {
    return listTemplates(this.callbackUrl());
  }

  /** @throws GatewayError `validation_failed` (not https/loopback), `bad_gateway` */
  discover(body: unknown): Promise<OAuthDiscoverResult> {
    return discoverIssuer(parseBody(oauthDiscoverRequestSchema, body).issuer_url);
  }

  /** @throws see authorize.ts */
  async authorize(scopeRef: string): Promise<{ authorize_url: string }> {
    return { authorize_url: await authorizeUrl(this.ctx, scopeRef) };
  }

  /** Never throws (see callback.ts). */
  callback(query: CallbackQuery): Promise<CallbackOutcome> {
    return completeAuthorization(this.ctx, query);
  }

  /** @throws GatewayError `not_found`, `validation_failed` (not oauth2) */
  status(scopeRef: string): OAuthStatus {
    const scope = findScope(this.options.store.state.auth_scopes, scopeRef);
    requireOAuthScope(scope);
    return scopeStatus(this.ctx, scope);
  }

  revoke(scopeRef: string): Promise<void> {
    return revokeScope(this.ctx, scopeRef);
  }

  quickSetup(body: unknown): Promise<SetupAnswer> {
    return quickSetup(this.ctx, body);
  }

  capabilities(serverRef: string): Promise<Capabilities> {
    return capabilities(this.ctx, serverRef);
  }

  setup(serverRef: string, body: unknown): Promise<SetupAnswer> {
    return setupServer(this.ctx, serverRef, body);
  }

  serverStatus(serverRef: string): { entries: ServerStatusEntry[] } {
    return serverStatus(this.ctx, serverRef);
  }

  connect(serverRef: string, body: unknown): Promise<ConnectAnswer> {
    return connectServer(this.ctx, serverRef, body);
  }

  /** The pool's scope resolver: see credentials.ts. */
  credentials(scopeId: string, values: Record<string, string>): Promise<ScopeCredentials> {
    return scopeCredentials(this.ctx, scopeId, values);
  }

  /** The clear tokens of a scope (`{access_token, refresh_token?}`), for redaction (audit, logs) only. */
  tokenSecrets(scopeId: string): Record<string, string> {
    const [access, refresh] = this.ctx.tokens.secrets(scopeId);
    return { ...(access ? { access_token: access } : {}), ...(refresh ? { refresh_token: refresh } : {}) };
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * Refreshes a scope's token in the background when it nears expiry, so a stdio child (which
   * read the token at spawn) is restarted with a live one before it needs it. A failure is
   * recorded on the scope by the refresher; the next use or a new authorization schedules again.
   */
  private schedule(scopeId: string): void {
    clearTimeout(this.timers.get(scopeId));
    this.timers.delete(scopeId);
    let record;
    try {
      record = this.ctx.tokens.read(scopeId);
    } catch (error) {
      this.options.logger.warn('a stored OAuth token cannot be read', { auth_scope_id: scopeId, reason: (error as Error).message });
      return;
    }
    const due = record ? refreshDueAt(record) : undefined;
    if (due === undefined) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(scopeId);
        this.ctx.refresher
          .refresh(scopeId, 'expiring')
          .catch((error: Error) => this.options.logger.debug('background refresh failed', { auth_scope_id: scopeId, reason: error.message }));
      },
      Math.max(0, due - Date.now()),
    );
    this.timers.set(scopeId, timer.unref());
  }
}
