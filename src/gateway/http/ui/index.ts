/**
 * http/ui: the browser dashboard the daemon serves at `/` — its documents with a strict CSP, the
 * built view bundles, and its sign-in (one-time codes exchanged for a session secret that the page
 * sends in a header, standing in for the bearer token on /api/v1 from the gateway's own page only).
 * See README.md beside this file.
 */
export { uiCodesRouter, uiRouter, type UiRouterOptions } from './ui-router.js';
export { acceptsSession, sessionOf } from './session-auth.js';
export { isPageNavigation, uiContentSecurityPolicy } from './page.js';
export { UiSessions, CODE_TTL_MS, SESSION_IDLE_MS, type IssuedCode, type UiSessionsOptions } from './ui-sessions.js';
