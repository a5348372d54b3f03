export * from './common.js';
export * from './workspace.js';
export * from './downstream.js';
export * from './route.js';
export * from './auth-scope.js';
export * from './settings.js';
export * from './state.js';
