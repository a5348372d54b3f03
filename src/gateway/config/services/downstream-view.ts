import { hasSecretShape, hasSecretWord, keyWords } from '../../redaction/index.js';
import { validationError } from '../parse.js';
import { SECRET_MASK, type DownstreamServer } from '../schemas/index.js';
import { maskSpans } from './downstream-spans.js';

/** The fields of a downstream server whose secret-looking values the API masks. */
type MaskedField = 'env' | 'headers';

/** Secret words that also count at the end of a run-together name (`PGPASSWORD`, `SLACKTOKEN`); not `key` (`HOTKEY`). */
const SUFFIX_WORDS = ['password', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'apikey', 'privatekey', 'secretkey', 'accesskey'];

/**
 * Words that name a secret in an env or header name, beyond the audit trail's list: the
 * abbreviations of a server's README (`MYSQL_PWD`, `SMTP_PASS`, `REDIS_PASSWD`, `GH_PAT`,
 * `SENTRY_DSN`), too short to judge an argument of any tool by, but not in a server's own env.
 */
const ENV_WORDS = new Set(['pwd', 'pass', 'passwd', 'pat', 'dsn']);

/** `${NAME}` alone: a reference to the gateway's environment (expanded at start), no secret itself. */
const REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Whether the API hides a downstream env or header value: its name holds a secret word
 * (`GITHUB_PERSONAL_ACCESS_TOKEN`, `Authorization`, `X-Api-Key`, `PGPASSWORD`), or the value has a
 * credential's shape (`ghp_…`, `postgres://user:pass@…`, `Bearer …`; `redaction/`), unless the
 * value is only a `${VAR}` reference.
 */
export function hidesSecret(name: string, value: string): boolean {
  if (REFERENCE.test(value)) return false;
  const words = keyWords(name);
  return hasSecretWord(words) || words.some((word) => ENV_WORDS.has(word) || SUFFIX_WORDS.some((s) => word.endsWith(s))) || hasSecretShape(value);
}

/**
 * What the API shows of a downstream server: the secret-looking env and header values replaced
 * by the mask `********` (as an auth scope's values are), the others as stored, and the secret
 * spans of `args` and `url` masked (`downstream-spans.ts`). A client that writes the mask back
 * keeps the stored value (`restoreMasked`, `restoreSpans`).
 */
export function presentDownstream(server: DownstreamServer): DownstreamServer {
  const env = masked(server.env);
  const headers = masked(server.headers);
  const args = server.args.some((arg) => maskSpans(arg) !== arg) ? server.args.map(maskSpans) : server.args;
  const url = server.url === undefined ? undefined : maskSpans(server.url);
  if (env === server.env && headers === server.headers && args === server.args && url === server.url) return server;
  return { ...server, env, headers, args, ...(url === undefined ? {} : { url }) };
}

function masked(values: Record<string, string>): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(values)) {
    if (!hidesSecret(name, value)) continue;
    out ??= { ...values };
    out[name] = SECRET_MASK;
  }
  return out ?? values;
}

/**
 * `incoming` with each mask put back to the value stored under the same name: a form that shows
 * `GITHUB_TOKEN=********` and saves it unchanged keeps the token.
 * @throws GatewayError `validation_failed` (400, path `env.<NAME>` or `headers.<Name>`) for a mask
 *   with no stored value under that name (renamed, or new): the mask is not a value.
 */
export function restoreMasked(field: MaskedField, incoming: Record<string, string>, stored: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const missing: string[] = [];
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== SECRET_MASK) out[name] = value;
    else if (Object.hasOwn(stored, name)) out[name] = stored[name]!;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw validationError(
      missing.map((name) => ({
        path: `${field}.${name}`,
        message: `is ${SECRET_MASK}, the mask of a hidden value, and no value is stored under this name; give the value itself`,
      })),
    );
  }
  return out;
}
