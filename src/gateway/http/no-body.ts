import type { RequestHandler } from 'express';
import { validationError } from '../config/index.js';

/**
 * The check of every POST, PUT and DELETE endpoint that takes no body (install, uninstall, drain,
 * shutdown, restart, a DELETE …): no body, or `{}`, passes; anything else is refused before the
 * endpoint acts. A trial's `{"dry_run": true}` to install performed a real write, and `{"bogus": 1}`
 * to drain stopped the gateway: a body that is ignored looks accepted. The OpenAPI document lists
 * no `requestBody` for these endpoints, and the table test in `test/integration/no-body.test.ts`
 * derives its list from that.
 *
 * @throws GatewayError `validation_failed` (400): one detail per field, `<field>: unknown field;
 *   this endpoint takes no body`; a body that is not an object, "this endpoint takes no body"
 */
// Params typed as plain strings: the handlers after it read `req.params.<name>` as a string.
export const takesNoBody: RequestHandler<Record<string, string>> = (req, _res, next) => {
  const body: unknown = req.body;
  if (body === undefined) return next();
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return next(
      validationError([
        { path: '', message: `this endpoint takes no body (send none, or {}); got ${Array.isArray(body) ? 'an array' : JSON.stringify(body)}` },
      ]),
    );
  const fields = Object.keys(body);
  if (fields.length === 0) return next();
  next(validationError(fields.map((field) => ({ path: field, message: 'unknown field; this endpoint takes no body' }))));
};
