/**
 * STAND-IN (hx-views) for E1's `src/shared/schemas`: the pure entity schemas the views need, copied
 * verbatim from `src/gateway/config/schemas/`. At merge, take E1's version of this folder.
 */
export * from './common.js';
export * from './downstream.js';
export * from './route.js';
