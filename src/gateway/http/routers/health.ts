import { Router } from 'express';
import type { Health, PublicHealth } from '../../../shared/api.js';
import type { RequestGuard } from '../security.js';

/**
 * GET /health. Without an `Authorization` header it answers only `{status, version,
 * uptime_seconds, mode}` (a liveness probe; the original's shape). With the token (or the
 * dashboard's session cookie, from its own page) it answers the
 * whole report: data dir, config file and error, every downstream with its state, last error and
 * (redacted) stderr tail.
 * @throws GatewayError `unauthorized` (401, with `WWW-Authenticate`) for a wrong token, passed to `next`
 */
export function healthRouter(report: () => Health, guard: RequestGuard): Router {
  const router = Router();
  router.get('/', (req, res, next) => {
    const refusal = guard.checkApiAuth(req);
    if (req.headers.authorization === undefined && refusal) {
      const { status, version, uptime_seconds, mode } = report();
      // What a liveness probe may learn without the token: nothing about servers, paths or errors.
      const summary: PublicHealth = { status, version, uptime_seconds, mode };
      return void res.json(summary);
    }
    if (refusal) return next(refusal);
    res.json(report() satisfies Health);
  });
  return router;
}
