import { Router } from 'express';
import { HEALTH_CHALLENGE_HEADER, HEALTH_CHALLENGE_PATTERN, type Health, type PublicHealth } from '../../../shared/api.js';
import { GatewayError } from '../../errors.js';
import type { RequestGuard } from '../security.js';

/**
 * GET /health. Without an `Authorization` header it answers only `{status, version,
 * uptime_seconds, mode}` (a liveness probe; the original's shape). With the token (or the
 * dashboard's session, from its own page) it answers the
 * whole report: data dir, config file and error, every downstream with its state, last error and
 * (redacted) stderr tail. A token-less request with `X-MCPlexer-Challenge` also gets `proof`, so
 * a client can tell this data dir's gateway from whatever holds its port before it sends the token
 * (`healthProofMessage`).
 * @throws GatewayError `unauthorized` (401, with `WWW-Authenticate`) for a wrong token,
 *   `bad_request` (400) for a challenge that is not 16–128 base64url characters; passed to `next`
 */
export function healthRouter(report: () => Health, guard: RequestGuard): Router {
  const router = Router();
  router.get('/', (req, res, next) => {
    const refusal = guard.checkApiAuth(req);
    if (req.headers.authorization === undefined && refusal) {
      const challenge = req.headers[HEALTH_CHALLENGE_HEADER];
      if (challenge !== undefined && (typeof challenge !== 'string' || !HEALTH_CHALLENGE_PATTERN.test(challenge)))
        return next(
          new GatewayError('bad_request', 'X-MCPlexer-Challenge must be 16 to 128 base64url characters (A-Z, a-z, 0-9, - and _)', {
            details: [{ path: 'X-MCPlexer-Challenge', message: 'not 16 to 128 base64url characters' }],
          }),
        );
      const { status, version, uptime_seconds, mode } = report();
      // What a liveness probe may learn without the token: nothing about servers, paths or errors.
      const summary: PublicHealth = { status, version, uptime_seconds, mode, ...(challenge ? { proof: guard.healthProof(challenge) } : {}) };
      return void res.json(summary);
    }
    if (refusal) return next(refusal);
    res.json(report() satisfies Health);
  });
  return router;
}
