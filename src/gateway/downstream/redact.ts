/**
 * Redaction of what a downstream server prints (stderr, junk on stdout) before the gateway keeps
 * it anywhere: the ring buffer that health shows, `last_error`, logs. Two layers: the literal
 * values the gateway itself handed the server (its auth scope's secrets, its own `env` and
 * `headers` values, expanded), and the shapes of well-known credentials. Servers print their
 * config and failing requests, and those often hold tokens.
 */

export const REDACTED = '[REDACTED]';

/** Literal values shorter than this are not redacted: "1" or "true" would blank half a log. */
export const MIN_LITERAL_LENGTH = 6;

/** Shapes of credentials, each replaced whole or in the group named `secret`. Order matters: headers first. */
const SHAPES: RegExp[] = [
  // Authorization / Proxy-Authorization headers, whatever the scheme.
  /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?<secret>[^"'\r\n]+)/gi,
  // Bearer / Basic / Token credentials outside a header line.
  /\b((?:bearer|basic|token)\s+)(?<secret>[A-Za-z0-9._~+/=-]{8,})/gi,
  // URLs with user:password@
  /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)(?<secret>[^\s/@]+)(?=@)/gi,
  // key=value / key: value / "key": "value" where the key names a secret.
  /\b([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[A-Za-z0-9_.-]*["']?\s*[:=]\s*["']?)(?<secret>[^\s"'&,;]+)/gi,
  /\bsk-(?:[A-Za-z0-9_-]{16,})/g, // OpenAI, Anthropic (sk-ant-…), sk-proj-…
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, // JWTs
];

/** Redacts one server's output: the literal secrets given, then the known shapes. Pure; reusable. */
export class Redactor {
  private literals: RegExp | undefined;

  constructor(values: Iterable<string> = []) {
    this.setValues(values);
  }

  /** Replaces the literal values to hide (called at each start, with that start's values). */
  setValues(values: Iterable<string>): void {
    const unique = [...new Set([...values].filter((value) => value.length >= MIN_LITERAL_LENGTH))];
    // Longest first, so a value that contains another is hidden whole.
    unique.sort((a, b) => b.length - a.length);
    this.literals = unique.length === 0 ? undefined : new RegExp(unique.map(escapeRegExp).join('|'), 'g');
  }

  redact(text: string): string {
    let out = this.literals ? text.replace(this.literals, REDACTED) : text;
    for (const shape of SHAPES) {
      out = out.replace(shape, (match: string, ...args: unknown[]) => {
        const groups = args[args.length - 1] as Record<string, string> | undefined;
        if (groups?.secret === undefined) return REDACTED;
        if (groups.secret === REDACTED || groups.secret.startsWith(REDACTED)) return match;
        return match.slice(0, match.length - groups.secret.length) + REDACTED;
      });
    }
    return out;
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
