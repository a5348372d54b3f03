import { describe, expect, it } from 'vitest';
import { describeJsonSyntax } from './json-syntax.js';

const why = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return describeJsonSyntax(text, (error as Error).message);
  }
  throw new Error('parsed');
};

describe('describeJsonSyntax', () => {
  it.each([
    ['a stray word', '{\n  "a": [ oops ]\n}', 'line 2, column 10 (unexpected character)'],
    ['a trailing comma', '{\n  "a": 1,\n}', 'line 3, column 1 (expected a property name in double quotes (a trailing comma?))'],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 'line 3, column 3 (expected ",")'],
    ['a comment', '{\n  // note\n  "a": 1\n}', 'line 2, column 3 (comments are not JSON)'],
    ['a cut-off file', '{ "a": [ ', 'line 1, column 10 (the file ends early: expected "]")'],
  ])('%s: names the line, the column and why', (_, text, expected) => {
    expect(why(text)).toContain(`not valid JSON at ${expected}`);
  });

  it('quotes no text of the file (a line may hold a token typed in clear)', () => {
    expect(why('{\n  "env": {"GH_TOKEN": "ghp_secretvalue" oops}\n}')).not.toContain('ghp_secretvalue');
  });

  it("falls back to JSON.parse's words when it finds nothing to point at", () => {
    expect(describeJsonSyntax('{}', 'odd')).toBe('not valid JSON: odd');
  });
});
