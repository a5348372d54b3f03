import { describe, expect, it } from 'vitest';
import { literalMatcher, MAX_LITERAL_CHARS, REDACTED } from './shapes.js';

describe('literalMatcher', () => {
  it('hides a value far over the engine’s limit for one literal (a 33,000-character base64 env value), without throwing', () => {
    const huge = 'QUJD'.repeat(8250); // 33,000 characters
    const matcher = literalMatcher([huge, 'short-secret'])!;
    expect(matcher).toBeDefined();
    const text = `loaded KUBECONFIG_B64=${huge} and short-secret; done`;
    expect(text.replace(matcher, REDACTED)).toBe(`loaded KUBECONFIG_B64=${REDACTED} and ${REDACTED}; done`);
  });

  it('matches a long value by its start, up to a space or a quote', () => {
    const long = 'x'.repeat(MAX_LITERAL_CHARS + 1);
    const matcher = literalMatcher([long])!;
    expect(`"${long}" next`.replace(matcher, REDACTED)).toBe(`"${REDACTED}" next`);
  });

  it('hides values whole, longest first, and leaves out values too short to hide', () => {
    const matcher = literalMatcher(['abcdef', 'abcdefgh', 'abc'])!;
    expect('abcdefgh abcdef abc'.replace(matcher, REDACTED)).toBe(`${REDACTED} ${REDACTED} abc`);
  });

  it('hides a value in its JSON-escaped and percent-encoded spellings too', () => {
    const value = 'a"b\\c/d e+f';
    const matcher = literalMatcher([value])!;
    for (const spelt of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
      expect(`<${spelt}>`.replace(matcher, REDACTED)).toBe(`<${REDACTED}>`);
    }
  });

  it('ignores a value it cannot percent-encode (a lone surrogate) instead of throwing', () => {
    const matcher = literalMatcher(['abc\ud800def'])!;
    expect('xabc\ud800defx'.replace(matcher, REDACTED)).toBe(`x${REDACTED}x`);
  });
});
