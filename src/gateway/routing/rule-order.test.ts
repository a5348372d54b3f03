import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteRule } from '../config/index.js';
import { compareRankedRules, rankRule, sortRankedRules, sortRules } from './rule-order.js';
import { route } from '../../../test/fixtures/routing/records.js';

const ids = (rules: RouteRule[]) => rules.map((rule) => rule.id);

describe('rule order', () => {
  it('sorts by path, then tool specificity, then priority DESC, then creation order', () => {
    const rules = [
      route('star-any', 'w'),
      route('exact-any', 'w', { tool_pattern: 'github__x' }),
      route('prefix-any', 'w', { tool_pattern: 'github__*' }),
      route('infix-any', 'w', { tool_pattern: '*__list_*' }),
      route('star-src', 'w', { path_glob: 'src/**' }),
      route('star-one', 'w', { path_glob: '*' }),
      route('prefix-any-high', 'w', { tool_pattern: 'github__*', priority: 500 }),
      route('prefix-any-2', 'w', { tool_pattern: 'linear__*' }),
      route('deep', 'w', { path_glob: 'src/pkg/*' }),
    ];
    expect(ids(sortRules(rules))).toEqual([
      'deep',
      'star-src',
      'star-one',
      'exact-any',
      'infix-any',
      'prefix-any-high',
      'prefix-any',
      'prefix-any-2',
      'star-any',
    ]);
  });

  it('does not modify its input', () => {
    const rules = [route('a', 'w'), route('b', 'w', { tool_pattern: 'x' })];
    sortRules(rules);
    expect(ids(rules)).toEqual(['a', 'b']);
  });

  it('falls back to id only when creation order is equal', () => {
    const a = rankRule(route('b', 'w'), 0);
    const b = rankRule(route('a', 'w'), 0);
    expect(compareRankedRules(a, b)).toBeGreaterThan(0);
    expect(compareRankedRules(b, a)).toBeLessThan(0);
  });

  it('is deterministic: any permutation of the input gives the same order up to creation-order ties', () => {
    const ruleArb = fc.record({
      path_glob: fc.constantFrom('**', '*', 'src/**', 'src/*', 'src/pkg', '**/test'),
      tool_pattern: fc.constantFrom('*', 'github__*', '*__list_*', 'github__x', ['github__*', 'x']),
      priority: fc.integer({ min: -2, max: 2 }),
      policy: fc.constantFrom('allow' as const, 'deny' as const),
    });
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 12 }), fc.infiniteStream(fc.nat()), (fields, seeds) => {
        const rules = fields.map((f, i) => route(`r${i}`, 'w', f));
        const shuffled = shuffle(rules, seeds);
        const a = sortRankedRules(rules);
        const b = sortRankedRules(shuffled);
        // Same sequence of sort keys whatever the input order.
        const keys = (list: typeof a) => list.map((r) => `${r.pathScore}/${r.toolScore}/${r.rule.priority}`);
        expect(keys(b)).toEqual(keys(a));
        // Within equal keys, creation order (the input position) decides.
        for (const list of [a, b]) {
          for (let i = 1; i < list.length; i += 1) {
            const [prev, next] = [list[i - 1]!, list[i]!];
            expect(compareRankedRules(prev, next)).toBeLessThan(0);
          }
        }
        // Sorting is idempotent on an already sorted list given in that order.
        expect(ids(sortRules(a.map((r) => r.rule)))).toEqual(ids(a.map((r) => r.rule)));
      }),
    );
  });
});

function shuffle<T>(items: readonly T[], seeds: Iterable<number>): T[] {
  const out = [...items];
  const iterator = seeds[Symbol.iterator]();
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = (iterator.next().value as number) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
