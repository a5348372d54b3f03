/**
 * The one list of credential shapes the gateway hides, wherever text may carry a secret: what a
 * downstream server prints (`downstream/redact.ts`, which replaces the matched span) and the
 * arguments and error messages the audit trail keeps (`audit/redact.ts`, which replaces the
 * whole value). Sources: issue 17's list (ORIGINAL.md "Audit"), GitHub's, GitLab's, Stripe's,
 * Slack's, Google's, AWS's and Telegram's published token formats, RFC 7519 (JWT), RFC 7468 (PEM).
 *
 * Each shape is replaced whole, or only in its group named `secret` (the header name or key stays
 * readable in a log line). Order matters for span replacement: PEM blocks, webhook URLs and header lines first.
 */
export const SECRET_SHAPES: readonly RegExp[] = [
  // PEM private keys (RFC 7468), RSA/EC/OPENSSH/ENCRYPTED…; a block cut short still counts.
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[\s\S]*)/g,
  // Slack incoming webhooks and workflow triggers; Google Chat webhooks (the URL is the credential).
  /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g,
  /https:\/\/chat\.googleapis\.com\/v1\/spaces\/[^\s"'?]+\/messages\?[^\s"']*/g,
  // Authorization / Proxy-Authorization headers, whatever the scheme (`authorization[:=]…`).
  /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?<secret>[^"'\r\n]+)/gi,
  // Bearer / Basic credentials outside a header line (`Bearer …`).
  /\b((?:bearer|basic)\s+)(?<secret>[A-Za-z0-9._~+/=-]{8,})/gi,
  // `Token …` (Django REST, some APIs): only a value with a digit or of 20 characters or more, so
  // prose such as "the token endpoint refused" or "token expired" stays readable (an audit
  // message that matches a shape is replaced whole).
  /\b(token\s+)(?<secret>(?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{20,})/gi,
  // URLs with user:password@ (or only :password@, as redis://:pw@host has it)
  /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)(?<secret>[^\s/@]+)(?=@)/gi,
  // key=value / key: value / "key": "value" where the key names a secret.
  /\b([A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[A-Za-z0-9_.-]*["']?\s*[:=]\s*["']?)(?<secret>[^\s"'&,;]+)/gi,
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic (sk-ant-…), sk-proj-…
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,}/g, // Stripe secret and restricted keys
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_)
  /\bhf_[A-Za-z0-9]{30,}/g, // Hugging Face access tokens
  /\bnpm_[A-Za-z0-9]{36}\b/g, // npm access tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab personal access tokens
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids (long-lived, temporary)
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API keys
  /(?<![0-9])[0-9]{8,10}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g, // Telegram bot tokens
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, // JWTs (RFC 7519, compact form)
];

/**
 * A literal every shape above needs somewhere in a match (case-insensitive): text without any of
 * them holds no known shape, so one scan spares the 18 (most argument values are plain). A new
 * shape adds its literal here (the shape tests fail otherwise).
 */
const TRIGGERS =
  /-----BEGIN|hooks\.slack\.com|chat\.googleapis\.com|authorization|bearer|basic|token|:\/\/|passw|passphrase|secret|api[_-]?key|access[_-]?key|private[_-]?key|credential|sk-|[sr]k_|gh[pousr]_|hf_|npm_|github_pat_|glpat-|xox|AKIA|ASIA|AIza|[0-9]{8}:|eyJ/i;

/** What a hidden value becomes. */
export const REDACTED = '[REDACTED]';

/** Literal values shorter than this are not redacted: "1" or "true" would blank half a log. */
export const MIN_LITERAL_LENGTH = 6;

/**
 * Whether `text` holds a secret of a known shape.
 * @param text any string (an argument value, a message)
 */
export function hasSecretShape(text: string): boolean {
  if (text.length < 8 || !TRIGGERS.test(text)) return false;
  for (const shape of SECRET_SHAPES) {
    shape.lastIndex = 0;
    const found = shape.test(text);
    shape.lastIndex = 0;
    if (found) return true;
  }
  return false;
}

/**
 * Replaces each secret of a known shape in `text` with `[REDACTED]` (only the `secret` group when
 * the shape has one, so a header's name stays readable). Pure.
 */
export function redactShapes(text: string): string {
  if (text.length < 8 || !TRIGGERS.test(text)) return text;
  let out = text;
  for (const shape of SECRET_SHAPES) {
    out = out.replace(shape, (match: string, ...args: unknown[]) => {
      const groups = args[args.length - 1] as Record<string, string> | undefined;
      if (typeof groups !== 'object' || groups?.secret === undefined) return REDACTED;
      if (groups.secret === REDACTED || groups.secret.startsWith(REDACTED)) return match;
      return match.slice(0, match.length - groups.secret.length) + REDACTED;
    });
  }
  return out;
}

/** `value` as a literal inside a RegExp. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Longer literals are matched by their first `LONG_LITERAL_PREFIX` characters and what follows up
 * to a space or quote: V8 refuses a pattern with a literal of ~32K characters ("Regular expression
 * too large"), and a trial's 33,000-character env value (a base64 kubeconfig) threw that inside a
 * server's stderr handler and took the whole gateway down.
 */
export const MAX_LITERAL_CHARS = 1024;
const LONG_LITERAL_PREFIX = 256;

/**
 * A value as a text may hold it: as is, escaped inside a JSON string (a server that logs its config
 * as JSON prints a backslash before each quote or backslash of the value), and percent-encoded (a
 * token in a URL's query, as servers log failing requests). Matching the value as is only let a
 * secret holding a quote or a slash through to the stderr tail in those spellings.
 */
function spellings(value: string): string[] {
  const forms = [value, JSON.stringify(value).slice(1, -1)];
  try {
    forms.push(encodeURIComponent(value));
  } catch {
    // a lone surrogate has no percent-encoding; nothing to match then
  }
  return forms;
}

/**
 * One RegExp (global) matching any of the literal values and their JSON and URL spellings, longest
 * first so a value containing another is hidden whole; values shorter than `MIN_LITERAL_LENGTH` are left out, and those over
 * `MAX_LITERAL_CHARS` are matched by their start (and the run of characters after it up to a
 * space or quote). Undefined when nothing is left, or when the engine refuses the pattern anyway:
 * then only the shapes redact, rather than an exception where the text is being kept.
 */
export function literalMatcher(values: Iterable<string>): RegExp | undefined {
  const unique = [...new Set([...values].filter((value) => value.length >= MIN_LITERAL_LENGTH).flatMap(spellings))];
  unique.sort((a, b) => b.length - a.length);
  if (unique.length === 0) return undefined;
  const alternatives = unique.map((value) =>
    value.length > MAX_LITERAL_CHARS ? `${escapeRegExp(value.slice(0, LONG_LITERAL_PREFIX))}[^\\s"']*` : escapeRegExp(value),
  );
  try {
    const pattern = new RegExp(alternatives.join('|'), 'g');
    pattern.test(''); // V8 compiles on first use: a pattern it refuses throws here, not where text is kept
    pattern.lastIndex = 0;
    return pattern;
  } catch {
    return undefined;
  }
}
