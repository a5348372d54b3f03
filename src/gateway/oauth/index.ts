/**
 * oauth: OAuth providers and templates, the authorization-code flow with PKCE and its callback,
 * tokens encrypted in their auth scope, refresh and revocation, and MCP authorization for remote
 * downstream servers (discovery, dynamic registration, resource indicators), all through the MCP
 * SDK's client auth functions. The downstream pool gets tokens through `credentials`.
 */
export { OAuthService, type OAuthOptions, type OAuthEvents } from './service.js';
export { callbackPage, type CallbackOutcome } from './callback.js';
export { DEFAULT_TOKEN_ENV_VAR, type BearerSource, type ScopeCredentials } from './credentials.js';
export type { TokenChange } from './context.js';
