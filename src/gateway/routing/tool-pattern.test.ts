import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileToolPattern, matchToolPatterns, toolPatternKind, toolPatternScore, toolPatternsScore } from './tool-pattern.js';

const cases: Array<[pattern: string, name: string, expected: boolean]> = [
  ['*', 'github__create_issue', true],
  ['*', '', true],
  ['**', 'anything', true],
  ['github__*', 'github__create_issue', true],
  ['github__*', 'github__', true],
  ['github__*', 'gitlab__x', false],
  ['git*', 'github__x', true], // a plain prefix test, as in the original
  ['github__create_issue', 'github__create_issue', true],
  ['github__create_issue', 'github__create_issues', false],
  ['*__list_*', 'linear__list_issues', true],
  ['*__list_*', 'a__b__list_c', true], // * runs across __
  ['*__list_*', 'linear__unlist_issues', false],
  ['github__*_issue', 'github__create_issue', true],
  ['github__*_issue', 'github__create_issue_comment', false], // anchored at the end
  ['github__*_issue', 'github___issue', true], // * matches the empty run
  ['*_issue', 'github__get_issue', true],
  ['*_issue', 'github__get_issues', false],
  ['a*a', 'a', false], // prefix and suffix may not overlap
  ['a*a', 'aa', true],
  ['a*b*c', 'abc', true],
  ['a*b*c', 'acb', false],
  ['a*b*b', 'abab', true],
  ['a*b*b', 'abba', false],
  ['a*b*b', 'abbb', true],
  ['github__get?', 'github__get?', true], // ? is literal
  ['github__get?', 'github__getx', false],
  ['[gh]__x', 'g__x', false], // [ ] are literal
];

describe('tool patterns', () => {
  it.each(cases)('%j matches %j: %s', (pattern, name, expected) => {
    expect(compileToolPattern(pattern).test(name)).toBe(expected);
    expect(matchToolPatterns([pattern], name)).toBe(expected);
  });

  it.each([
    ['*', 'all', 0],
    ['**', 'all', 0],
    ['github__*', 'prefix', 1],
    ['*__list_*', 'infix', 2],
    ['*_issue', 'infix', 2],
    ['github__*_issue', 'infix', 2],
    ['github__create_issue', 'exact', 3],
  ] as const)('%j is %s with score %i', (pattern, kind, score) => {
    expect(toolPatternKind(pattern)).toBe(kind);
    expect(toolPatternScore(pattern)).toBe(score);
  });

  it("scores a rule's list by its most specific pattern", () => {
    expect(toolPatternsScore(['*', 'github__*'])).toBe(1);
    expect(toolPatternsScore(['github__*', 'x', '*'])).toBe(3);
    expect(toolPatternsScore([])).toBe(0);
  });

  it('agrees with a regular-expression reference on random patterns', () => {
    const char = fc.constantFrom('a', 'b', '_', '*');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', '_'), { maxLength: 10 }), (patternChars, nameChars) => {
        const pattern = patternChars.join('');
        const name = nameChars.join('');
        expect(compileToolPattern(pattern).test(name)).toBe(referenceMatch(pattern, name));
      }),
    );
  });
});

/** The documented meaning as a regular expression, except the `prefix*` form which is the same thing. */
function referenceMatch(pattern: string, name: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${source}$`).test(name);
}
