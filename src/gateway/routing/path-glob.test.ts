import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePathGlob, pathGlobMatch, pathGlobScore } from './path-glob.js';

const matches: Array<[glob: string, subpath: string, expected: boolean]> = [
  ['**', '', true],
  ['**', 'src', true],
  ['**', 'src/pkg/main.go', true],
  ['*', 'src', true],
  ['*', 'src/pkg', false],
  ['*', '', true], // the empty subpath is one empty segment, as in the original
  ['**/test', 'test', true],
  ['**/test', 'a/b/test', true],
  ['**/test', 'a/test/b', false],
  ['**/test', '', false],
  ['src/**', 'src', true],
  ['src/**', 'src/pkg/main.go', true],
  ['src/**', 'lib/main.go', false],
  ['src/**', '', false],
  ['src/*', 'src/pkg', true],
  ['src/*', 'src', false],
  ['src/*', 'src/pkg/x', false],
  ['src/pkg/main.go', 'src/pkg/main.go', true],
  ['src/pkg/main.go', 'src/pkg', false],
  ['**/pkg/**', 'a/pkg', true],
  ['**/pkg/**', 'a/b/pkg/c/d', true],
  ['**/pkg/**', 'a/b/pk/c', false],
  ['a/**/b/**/c', 'a/x/b/y/z/c', true],
  ['a/**/b/**/c', 'a/b/c', true],
  ['a/**/b/**/c', 'a/c/b', false],
  ['*/**', '', true],
  ['s?c', 'src', false], // ? is literal
  ['[a]', 'a', false], // [ ] are literal
  ['sr*', 'src', false], // no partial-segment *
];

describe('path globs', () => {
  it.each(matches)('%j matches %j: %s', (glob, subpath, expected) => {
    expect(pathGlobMatch(glob, subpath)).toBe(expected);
    expect(compilePathGlob(glob).test(subpath)).toBe(expected);
  });

  it.each([
    ['**', 0],
    ['*', 1],
    ['src/**', 10],
    ['src/pkg/*', 21],
    ['src/pkg/main.go', 30],
    ['**/test', 10],
  ] as const)('scores %j as %i', (glob, score) => {
    expect(pathGlobScore(glob)).toBe(score);
    expect(compilePathGlob(glob).score).toBe(score);
  });

  it('agrees with a plain recursive reference on random globs', () => {
    const segment = fc.constantFrom('a', 'b', '*', '**');
    const pathSegment = fc.constantFrom('a', 'b', 'c', '');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.array(pathSegment, { minLength: 1, maxLength: 6 }), (pattern, path) => {
        const glob = pattern.join('/');
        const subpath = path.join('/');
        expect(pathGlobMatch(glob, subpath)).toBe(reference(glob.split('/'), subpath.split('/')));
      }),
    );
  });
});

/** The definition, straight: `**` tries every split point. Exponential, so only for tests. */
function reference(pattern: string[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') {
    for (let i = 0; i <= path.length; i += 1) if (reference(rest, path.slice(i))) return true;
    return false;
  }
  if (path.length === 0) return false;
  return (head === '*' || head === path[0]) && reference(rest, path.slice(1));
}
