/**
 * The entity schemas of the gateway's REST API and config (workspace, downstream server, route
 * rule, auth scope, settings) and their create/update bodies, with types by `z.infer`. Pure: no
 * Node or DOM imports, so the gateway, the CLI, the extension and the views validate with the
 * same definitions. The gateway's config module adds what needs Node (`root_path` normalised
 * with `node:path`).
 */
export * from './common.js';
export * from './workspace.js';
export * from './downstream.js';
export * from './route.js';
export * from './auth-scope.js';
export * from './oauth.js';
export * from './settings.js';
export * from './inputs.js';
