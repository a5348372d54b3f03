/**
 * Redaction of what a downstream server prints (stderr, junk on stdout) before the gateway keeps
 * it anywhere: the ring buffer that health shows, `last_error`, logs. Two layers: the literal
 * values the gateway itself handed the server (its auth scope's secrets, its own `env` and
 * `headers` values, expanded), and the shapes of well-known credentials. Servers print their
 * config and failing requests, and those often hold tokens.
 */

import { GatewayError } from '../errors.js';
import { literalMatcher, MIN_LITERAL_LENGTH, REDACTED, redactShapes } from '../redaction/index.js';

// The shapes of credentials are the one list in `redaction/` (shared with the audit trail).
export { MIN_LITERAL_LENGTH, REDACTED };

/** Redacts one server's output: the literal secrets given, then the known shapes. Pure; reusable. */
export class Redactor {
  private literals: RegExp | undefined;

  constructor(values: Iterable<string> = []) {
    this.setValues(values);
  }

  /** Replaces the literal values to hide (called at each start, with that start's values). */
  setValues(values: Iterable<string>): void {
    // Longest first, so a value that contains another is hidden whole.
    this.literals = literalMatcher(values);
  }

  redact(text: string): string {
    return redactShapes(this.literals ? text.replace(this.literals, REDACTED) : text);
  }

  /**
   * The error with its message redacted (same code and details; the cause, which may hold the
   * text in clear, left behind): what the server answered reaches a caller (an agent, a REST
   * client), and may quote what it was handed (a trial: an access token, a scope's value).
   */
  redactError(error: GatewayError): GatewayError {
    const message = this.redact(error.message);
    return message === error.message ? error : new GatewayError(error.code, message, { details: error.details });
  }
}

/**
 * The literal values one start of a server hands it, which its output must never show: the auth
 * scope's values, and the server's own `env` and `headers` values, as written and as expanded.
 */
export function valuesToHide(
  server: { env: Record<string, string>; headers: Record<string, string> },
  scope: { env: Record<string, string>; headers: Record<string, string> },
  childVisible: Record<string, string>,
  expand: (value: string, env: Record<string, string>) => string,
): string[] {
  const values: string[] = [...Object.values(scope.env), ...Object.values(scope.headers)];
  for (const value of [...Object.values(server.env), ...Object.values(server.headers)]) values.push(value, expand(value, childVisible));
  return values;
}
