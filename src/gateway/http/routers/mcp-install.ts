import { Router } from 'express';
import type { ClientStateAnswer, InstallPreviewAnswer, InstallStatusAnswer } from '../../../shared/schemas/mcp-install.js';
import type { ClientInstaller } from '../../clients/index.js';
import { GatewayError } from '../../errors.js';

/**
 * The MCP Install section: `GET /status`, `GET /{clientId}/preview`, `POST /{clientId}/install`
 * and `/uninstall` (each answers that client's element of `status().clients`). Errors come from
 * the installer: 404 unknown client, 409 not detected or (uninstall) not configured, 422 a config
 * file that cannot be parsed, with its line and column.
 */
export function mcpInstallRouter(installer: ClientInstaller): Router {
  const router = Router();
  router.get('/status', (_req, res) => void res.json(installer.status() satisfies InstallStatusAnswer));
  // `?action=uninstall` (ours): what uninstall would write, so a client can show that diff first too.
  router.get('/:clientId/preview', (req, res) => {
    const action = req.query.action ?? 'install';
    if (action !== 'install' && action !== 'uninstall')
      throw new GatewayError('validation_failed', 'query parameter "action" must be "install" or "uninstall"', {
        details: [{ path: 'action', message: 'install or uninstall' }],
      });
    res.json(installer.preview(req.params.clientId!, action) satisfies InstallPreviewAnswer);
  });
  router.post('/:clientId/install', (req, res) => void res.json(installer.install(req.params.clientId!) satisfies ClientStateAnswer));
  router.post('/:clientId/uninstall', (req, res) => void res.json(installer.uninstall(req.params.clientId!) satisfies ClientStateAnswer));
  return router;
}
