import { hasSecretShape, REDACTED, redactShapes } from '../../redaction/index.js';
import { validationError } from '../parse.js';
import { SECRET_MASK } from '../schemas/index.js';

/**
 * A server's `args` and `url` hold credentials too: server-postgres' README puts
 * `postgresql://admin:pw@db/prod` in `args`, a remote server's URL may carry `user:pw@`. Their
 * other parts are what a user reads (a package name, a host), so only the secret span is masked
 * (`postgresql://admin:********@db/prod`), by the credential shapes of `redaction/`; the whole
 * value is sealed on disk (`at-rest.ts`). A value sent back as shown keeps the stored one.
 */

/** `value` as the API shows it: each secret span as `********`; the value itself when it holds none. */
export function maskSpans(value: string): string {
  return hasSecretShape(value) ? redactShapes(value).split(REDACTED).join(SECRET_MASK) : value;
}

/**
 * Each incoming value that holds the mask, put back to the stored value it is the shown form of.
 * @param path the field's path for errors (`args`, `url`)
 * @throws GatewayError `validation_failed` (400, `args.2`, `url`) for a value holding the mask
 *   that is no stored value's shown form (edited around the mask, or new): give the whole value
 */
export function restoreSpans(path: string, incoming: readonly string[], stored: readonly string[]): string[] {
  const shown = new Map(stored.filter((value) => maskSpans(value) !== value).map((value) => [maskSpans(value), value]));
  const problems: Array<{ path: string; message: string }> = [];
  const out = incoming.map((value, index) => {
    if (!value.includes(SECRET_MASK)) return value;
    const original = shown.get(value);
    if (original === undefined)
      problems.push({
        path: incoming.length > 1 || path === 'args' ? `${path}.${index}` : path,
        message: `holds ${SECRET_MASK}, the hidden part of a stored value, but is not that value as shown (edited around it?); give the whole value`,
      });
    return original ?? value;
  });
  if (problems.length > 0) throw validationError(problems);
  return out;
}
