import { parse, printParseErrorCode, type ParseError, type ParseErrorCode } from 'jsonc-parser';

/** jsonc-parser's error codes in words (its names are `CommaExpected`, `InvalidSymbol`, …). */
const WORDS: Partial<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes (a trailing comma?)',
  ValueExpected: 'expected a value (a trailing comma?)',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'text after the end of the JSON value',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'comments are not JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'malformed number',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'malformed escape',
  InvalidCharacter: 'a control character (a line break, a tab) inside a string',
};

/**
 * Why a text that `JSON.parse` refused is not JSON, with the line and column: Node 20's own
 * message names neither (`Unexpected token 'o', ..."paces": [ oops,"... is not valid JSON`), and a
 * person fixing a hand edit of `config.json` needs to know where to look.
 *
 * @param text the file's text (RFC 8259 JSON: no comments, no trailing commas)
 * @param fallback `JSON.parse`'s message, used when jsonc-parser finds nothing to point at (it may
 *   quote a few characters of the file)
 * @returns e.g. `not valid JSON at line 3, column 19 (unexpected character)`
 */
export function describeJsonSyntax(text: string, fallback: string): string {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return `not valid JSON: ${fallback}`;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  const code = printParseErrorCode(first.error as ParseErrorCode);
  // A file cut short (a save half done, an editor's autosave mid-edit) says so. No text of the file
  // is quoted: the line may hold a value typed in clear (a token), and this goes to health and the log.
  const reason = `${first.offset >= text.trimEnd().length ? 'the file ends early: ' : ''}${WORDS[code] ?? code}`;
  return `not valid JSON at line ${line}, column ${column} (${reason})`;
}
