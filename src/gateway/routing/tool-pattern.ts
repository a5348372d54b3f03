/**
 * Tool patterns, matched against the full tool name as the client sees it (`namespace__tool`).
 *
 * - only `*` characters (`*`, `**`): matches every name, score 0;
 * - `prefix*` (one star, at the end): a plain prefix test, so `git*` matches `github__x`, score 1;
 * - any other pattern with a `*` (`*__list_*`, `github__*_issue`, `*_issue`): each `*` matches
 *   any run of characters, `__` included, anchored at both ends, score 2;
 * - no `*`: exact match, score 3.
 * `?` and `[ ]` are literal. The original scores exact 2, prefix 1, `*` 0 and has no infix form;
 * ours keeps that relative order and ranks infix between exact and prefix.
 */

export type ToolPatternKind = 'all' | 'prefix' | 'infix' | 'exact';

const SCORES: Readonly<Record<ToolPatternKind, number>> = { all: 0, prefix: 1, infix: 2, exact: 3 };

/** A compiled tool pattern. */
export interface ToolMatcher {
  readonly pattern: string;
  readonly kind: ToolPatternKind;
  readonly score: number;
  test(toolName: string): boolean;
}

/** Classifies a pattern (see the module comment). */
export function toolPatternKind(pattern: string): ToolPatternKind {
  const firstStar = pattern.indexOf('*');
  if (firstStar < 0) return 'exact';
  if (/^\*+$/.test(pattern)) return 'all';
  if (firstStar === pattern.length - 1) return 'prefix';
  return 'infix';
}

/** The specificity of one pattern: exact 3, infix 2, prefix 1, all 0. */
export function toolPatternScore(pattern: string): number {
  return SCORES[toolPatternKind(pattern)];
}

/** The specificity of a rule's pattern list: the score of its most specific pattern. */
export function toolPatternsScore(patterns: readonly string[]): number {
  let best = 0;
  for (const pattern of patterns) best = Math.max(best, toolPatternScore(pattern));
  return best;
}

/** Compiles one pattern to a matcher that does no work beyond string comparisons. */
export function compileToolPattern(pattern: string): ToolMatcher {
  const kind = toolPatternKind(pattern);
  const score = SCORES[kind];
  switch (kind) {
    case 'all':
      return { pattern, kind, score, test: () => true };
    case 'exact':
      return { pattern, kind, score, test: (name) => name === pattern };
    case 'prefix': {
      const prefix = pattern.slice(0, -1);
      return { pattern, kind, score, test: (name) => name.startsWith(prefix) };
    }
    case 'infix': {
      const parts = pattern.split('*');
      return { pattern, kind, score, test: (name) => matchInfix(parts, name) };
    }
  }
}

/** True when any pattern in the list matches the tool name. */
export function matchToolPatterns(patterns: readonly string[], toolName: string): boolean {
  return patterns.some((pattern) => compileToolPattern(pattern).test(toolName));
}

/**
 * `parts` is the pattern split on `*` (at least two parts). The first part must be a prefix,
 * the last a suffix that does not overlap it, and the middle parts must appear in order in
 * between; taking each middle part at its leftmost position is enough for `*`-only globs.
 */
function matchInfix(parts: readonly string[], name: string): boolean {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (name.length < first.length + last.length) return false;
  if (!name.startsWith(first) || !name.endsWith(last)) return false;
  let position = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < parts.length - 1; i += 1) {
    const part = parts[i]!;
    if (part === '') continue;
    const found = name.indexOf(part, position);
    if (found < 0 || found + part.length > end) return false;
    position = found + part.length;
  }
  return true;
}
