import { Router } from 'express';
import type { SettingsView } from '../../../shared/api.js';
import type { SettingsService } from '../../config/index.js';

/**
 * GET /settings: the effective settings, where each came from (`sources`), and the built-in tools'
 * default descriptions; PUT /settings: a partial update (then `onChange`), answered the same way.
 * @throws GatewayError `validation_failed` (400, details name each bad setting)
 */
export function settingsRouter(service: SettingsService, builtinToolDefaults: () => Record<string, string>, onChange: () => void): Router {
  const router = Router();
  const view = (): SettingsView => {
    const { settings, sources } = service.current();
    return { settings, builtin_tool_defaults: builtinToolDefaults(), sources };
  };
  router.get('/', (_req, res) => void res.json(view()));
  router.put('/', async (req, res) => {
    await service.update(req.body);
    onChange();
    res.json(view());
  });
  return router;
}
