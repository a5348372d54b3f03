import { Router } from 'express';

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptime_seconds: number;
  mode: string;
  data_dir: string;
  http_addr: string;
  config_file: string;
  config_error?: string;
  downstreams: unknown[];
}

/** GET /health: no token needed; says whether the gateway and each downstream server is well. */
export function healthRouter(report: () => HealthReport): Router {
  const router = Router();
  router.get('/', (_req, res) => void res.json(report()));
  return router;
}
