import { rulePatterns, type RouteRule } from '../config/index.js';
import { pathGlobScore } from './path-glob.js';
import { toolPatternsScore } from './tool-pattern.js';

/** A rule with the keys it is sorted by; `index` is its creation order (position in the config). */
export interface RankedRule {
  readonly rule: RouteRule;
  readonly index: number;
  readonly pathScore: number;
  readonly toolScore: number;
}

/** Computes a rule's sort keys once. */
export function rankRule(rule: RouteRule, index: number): RankedRule {
  return { rule, index, pathScore: pathGlobScore(rule.path_glob), toolScore: toolPatternsScore(rulePatterns(rule)) };
}

/**
 * The evaluation order within one workspace, first match wins: path specificity DESC, tool
 * specificity DESC, priority DESC, creation order ASC, id ASC. A total order, so an allow and a
 * deny of equal rank are never ordered at random (the original's flaw with random UUIDs).
 */
export function compareRankedRules(a: RankedRule, b: RankedRule): number {
  if (a.pathScore !== b.pathScore) return b.pathScore - a.pathScore;
  if (a.toolScore !== b.toolScore) return b.toolScore - a.toolScore;
  if (a.rule.priority !== b.rule.priority) return b.rule.priority - a.rule.priority;
  if (a.index !== b.index) return a.index - b.index;
  return a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0;
}

/** Ranks and sorts rules given in creation order; the input is not modified. */
export function sortRankedRules(rules: readonly RouteRule[]): RankedRule[] {
  return rules.map(rankRule).sort(compareRankedRules);
}

/** The rules given in creation order, in evaluation order. */
export function sortRules(rules: readonly RouteRule[]): RouteRule[] {
  return sortRankedRules(rules).map((ranked) => ranked.rule);
}
