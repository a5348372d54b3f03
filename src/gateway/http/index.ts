/**
 * http: the Express app — Host/Origin/token checks, the /api/v1 routers of one table (thin
 * adapters over the services), the health report, the OpenAPI document, and the one mapping from
 * GatewayError to status and body.
 */
export { createHttpApp, API_PREFIX, MAX_BODY_BYTES, type HttpDependencies } from './app.js';
export type { ApiServices, ApiMount } from './api-routers.js';
export { createHealthReporter, type HealthReporter, type HealthSources, type PoolServerHealth } from './health-report.js';
export { httpStatusOf, errorBody } from './error-map.js';
export { answerClientErrors } from './client-error.js';
export type { SecurityOptions } from './security.js';
export type { McpSessionPath } from './listener.js';
