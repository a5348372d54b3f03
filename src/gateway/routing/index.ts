/**
 * routing: which workspace chain applies to a client directory (longest `root_path` first,
 * `global` last), the route-rule order and matching (path globs, tool patterns, namespace
 * guard), default policies and approval triggers, the decision cache, and dry-run's trace.
 * Pure: no I/O, no store access. Build a router with `compileRouter` per config change.
 */
export { compileRouter, type Router, type RouterOptions, type ChainTarget } from './router.js';
export type { RoutingConfig } from './compile.js';
export type { Decision, DecideOptions, DecisionErrorCode, Explanation, CandidateRule } from './types.js';
export type { ChainLink, WorkspaceChain } from './resolve-chain.js';
export { normaliseDir, subpathWithin } from './resolve-chain.js';
export { folderSet, isFolderSet, strictest, type FolderSet } from './strictest.js';
export type { CacheStats } from './lru.js';
export { pathGlobMatch, pathGlobScore } from './path-glob.js';
export { matchToolPatterns, toolPatternScore } from './tool-pattern.js';
export { sortRules } from './rule-order.js';
