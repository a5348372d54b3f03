/**
 * The bracket count that keeps deeply nested client config files from the parsers (format.ts):
 * brackets inside strings and comments are text, not nesting (a file full of "[[" in its args must
 * still be read), and an unclosed quote cannot hide the brackets after it (the parsers end such a
 * string at the line break and would then recurse into them).
 */
import { describe, expect, it } from 'vitest';
import { bracketsTooDeepAt, MAX_CONFIG_DEPTH } from './format.js';

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const many = '['.repeat(MAX_CONFIG_DEPTH + 10);

describe('bracketsTooDeepAt', () => {
  it('finds the first bracket past the limit, and nothing at the limit', () => {
    expect(bracketsTooDeepAt(`{"a":${deep(MAX_CONFIG_DEPTH - 1)}}`, 'json')).toBeUndefined();
    expect(bracketsTooDeepAt(`{"a":${deep(MAX_CONFIG_DEPTH)}}`, 'json')).toBe(5 + MAX_CONFIG_DEPTH - 1);
    expect(bracketsTooDeepAt(`a = ${deep(MAX_CONFIG_DEPTH)}`, 'toml')).toBeUndefined();
    expect(bracketsTooDeepAt(`a = ${deep(MAX_CONFIG_DEPTH + 1)}`, 'toml')).toBe(4 + MAX_CONFIG_DEPTH);
  });

  it('JSON(C): brackets in strings (escaped quotes too) and comments are not counted', () => {
    const text = `{\n  // ${many}\n  /* ${many} */\n  "a": ["${many}", "\\"${many}"]\n}\n`;
    expect(bracketsTooDeepAt(text, 'json')).toBeUndefined();
  });

  it('TOML: basic, literal and multi-line strings and comments are not counted', () => {
    const text = `# ${many}\na = "${many}\\""\nb = '${many}'\nc = """\n${many}\\"""\n"""\nd = '''\n${many}\n'''\n`;
    expect(bracketsTooDeepAt(text, 'toml')).toBeUndefined();
  });

  it('an unclosed single-line string ends at the line break, as the parsers end it', () => {
    expect(bracketsTooDeepAt(`{"a": "open\n${many}"}`, 'json')).toBeDefined();
    expect(bracketsTooDeepAt(`a = 'open\nb = ${many}'`, 'toml')).toBeDefined();
  });
});
