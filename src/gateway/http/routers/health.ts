import { Router } from 'express';
import type { RequestGuard } from '../security.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptime_seconds: number;
  mode: string;
  data_dir: string;
  http_addr: string;
  config_file: string;
  config_error?: string;
  /** The daemon refuses new MCP sessions and stops once its calls in flight end (`POST /drain`). */
  draining: boolean;
  /** The daemon's process id. */
  pid: number;
  downstreams: unknown[];
}

/** What a liveness probe may learn without the token: nothing about servers, paths or errors. */
export type PublicHealth = Pick<HealthReport, 'status' | 'version' | 'uptime_seconds' | 'mode'>;

/**
 * GET /health. Without an `Authorization` header it answers only `{status, version,
 * uptime_seconds, mode}` (a liveness probe; the original's shape). With the token it answers the
 * whole report: data dir, config file and error, every downstream with its state, last error and
 * (redacted) stderr tail.
 * @throws GatewayError `unauthorized` (401, with `WWW-Authenticate`) for a wrong token, passed to `next`
 */
export function healthRouter(report: () => HealthReport, guard: RequestGuard): Router {
  const router = Router();
  router.get('/', (req, res, next) => {
    if (req.headers.authorization === undefined) {
      const { status, version, uptime_seconds, mode } = report();
      const summary: PublicHealth = { status, version, uptime_seconds, mode };
      return void res.json(summary);
    }
    const refusal = guard.checkToken(req);
    if (refusal) return next(refusal);
    res.json(report());
  });
  return router;
}
