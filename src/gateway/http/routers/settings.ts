import { Router } from 'express';
import type { SettingsService } from '../../config/index.js';

export function settingsRouter(service: SettingsService, builtinToolDefaults: () => Record<string, string>, onChange: () => void): Router {
  const router = Router();
  const view = () => {
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
