import { Router } from 'express';
import type { ClientStateAnswer, InstallPreviewAnswer, InstallStatusAnswer } from '../../../shared/schemas/mcp-install.js';
import { importRequestSchema, type ImportableServersAnswer, type ImportResult } from '../../../shared/schemas/mcp-import.js';
import type { ClientImporter, ClientInstaller } from '../../clients/index.js';
import { choiceParam, parseBody, parseQuery } from '../../config/index.js';
import { tokenOnly } from '../token-only.js';
import { takesNoBody } from '../no-body.js';

/** `GET /{clientId}/preview`'s one parameter (ours): which change to preview. */
export const PREVIEW_PARAMS = { action: choiceParam(['install', 'uninstall'] as const, 'default install') };

/**
 * The MCP Install section: `GET /status`, `GET /{clientId}/preview`, `POST /{clientId}/install`
 * and `/uninstall` (each answers that client's element of `status().clients`); the import of a
 * client's own servers, `GET /{clientId}/servers` and `POST /{clientId}/import` (body
 * `ImportRequest`: a body that fails it is a 400 naming the field). Errors come from
 * the installer: 404 unknown client, 409 not detected or (uninstall) not configured, 422 a config
 * file that cannot be parsed, with its line and column; 403 for a dashboard session on a
 * client's preview, install or uninstall (`tokenOnly`).
 */
export function mcpInstallRouter(installer: ClientInstaller, importer: ClientImporter): Router {
  const router = Router();
  router.get('/status', (_req, res) => void res.json(installer.status() satisfies InstallStatusAnswer));
  // `?action=uninstall` (ours): what uninstall would write, so a client can show that diff first too.
  // The preview holds the token, and an install writes it: not for a dashboard session (token-only.ts).
  router.use('/:clientId', tokenOnly("client installs, their previews and imports of a client's servers"));
  router.get('/:clientId/preview', (req, res) => {
    const action = parseQuery(PREVIEW_PARAMS, req.query).action ?? 'install';
    res.json(installer.preview(req.params.clientId!, action) satisfies InstallPreviewAnswer);
  });
  router.post('/:clientId/install', takesNoBody, (req, res) => void res.json(installer.install(req.params.clientId!) satisfies ClientStateAnswer));
  router.post('/:clientId/uninstall', takesNoBody, (req, res) => void res.json(installer.uninstall(req.params.clientId!) satisfies ClientStateAnswer));
  // The entries show commands, args and URLs (credentials sometimes ride in them): token only too.
  router.get('/:clientId/servers', (req, res) => void res.json(importer.servers(req.params.clientId!) satisfies ImportableServersAnswer));
  router.post('/:clientId/import', async (req, res) => {
    // No body at all reads as `{}`: every new entry.
    const request = parseBody(importRequestSchema, req.body === undefined ? {} : req.body);
    res.json((await importer.import(req.params.clientId!, request)) satisfies ImportResult);
  });
  return router;
}
