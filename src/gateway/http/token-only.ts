import type { RequestHandler } from 'express';
import { GatewayError } from '../errors.js';

/**
 * Refuses a request the token guard let through on a dashboard session rather than the API token,
 * for what a session must not have: what answers the token itself or makes a new way in. A
 * session stands in for the token on the dashboard's reads and edits; a trial read the full
 * token from `GET /mcp-install/{client}/preview` with a session (the preview is the client's
 * config with `Authorization: Bearer <token>`), which turned an 8-hour session that dies with the
 * daemon into the token, valid on /mcp and for minting codes.
 *
 * @param what what is refused, for the message ("one-time codes", "client installs")
 * @throws GatewayError `forbidden` (403) when the request carries no `Authorization` header (the
 *   token guard has already checked the one it carries)
 */
export function tokenOnly(what: string): RequestHandler {
  return (req, _res, next) => {
    if (req.headers.authorization !== undefined) return next();
    next(
      new GatewayError(
        'forbidden',
        `${what} need the API token (Authorization: Bearer <token>), not a dashboard session: use the editor's command or the CLI (mcplexer token prints it)`,
      ),
    );
  };
}
