import { GatewayError } from '../errors.js';

/**
 * A config file format, as the installer needs it: read the entries under a key, and return the
 * text with one entry set or removed, everything else byte for byte as it was.
 */
export interface ConfigFormat {
  /**
   * The entries under `key` by name (`{}` when the file is empty or has no such key).
   * @throws GatewayError `unprocessable` when the text cannot be parsed, or `key` holds something
   *   else than a table of servers (see `cannotParse`)
   */
  entries(text: string, key: readonly string[], file: string): Record<string, unknown>;
  /** The text with entry `name` under `key` set to `value` (added, or its value replaced). */
  put(text: string, key: readonly string[], name: string, value: Record<string, unknown>, file: string): string;
  /** The text without entry `name` (a container it leaves empty goes too). The entry must exist. */
  remove(text: string, key: readonly string[], name: string, file: string): string;
  /**
   * Whether the text holds nothing but whitespace and comments (no document at all), so install
   * starts it as a missing file (`ClientSpec.newFile`), after what it holds. Absent: never.
   */
  blank?(text: string): boolean;
}

/** The file's line ending: CRLF when it has any, else LF. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * The refusal for a file MCPlexer will not edit: 422 with the file, line and column, so the user
 * can fix it (the file is left untouched).
 */
export function cannotParse(file: string, line: number, column: number, problem: string): GatewayError {
  return new GatewayError(
    'unprocessable',
    `${file} cannot be parsed at line ${line}, column ${column}: ${problem}. MCPlexer left it untouched; fix it and try again`,
    {
      details: [{ path: `${file}:${line}:${column}`, message: problem }],
    },
  );
}
