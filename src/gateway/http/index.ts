/**
 * http: the Express app — Host/Origin/token checks, the /api/v1 routers (thin adapters over the
 * services), the OpenAPI document, and the one mapping from GatewayError to status and body.
 */
export { createHttpApp, API_PREFIX, MAX_BODY_BYTES, type HttpDependencies } from './app.js';
export { httpStatusOf, errorBody } from './error-map.js';
export type { HealthReport } from './routers/health.js';
export type { SecurityOptions } from './security.js';
export type { McpSessionPath } from './listener.js';
