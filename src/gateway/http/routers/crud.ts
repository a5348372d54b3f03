import { Router, type Request } from 'express';
import { GatewayError } from '../../errors.js';

/** What a CRUD resource service offers; every router below is a thin adapter over one. */
export interface CrudService<T> {
  list(): T[];
  get(id: string): T;
  create(body: unknown): Promise<T>;
  update(id: string, body: unknown): Promise<T>;
  remove(id: string, cascade: boolean): Promise<void>;
}

/**
 * `?cascade=` as a boolean (absent: false).
 * @throws GatewayError `validation_failed` (400, detail path `cascade`) for anything but true/false/1/0
 */
export function cascadeFlag(req: Request): boolean {
  const value = req.query.cascade;
  if (value === undefined) return false;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new GatewayError('validation_failed', 'query parameter cascade must be true or false', {
    details: [{ path: 'cascade', message: 'must be true or false' }],
  });
}

/**
 * GET list, POST create (201), GET/PUT (partial) one, DELETE (204; `?cascade=true`). `extend`
 * adds routes before these (so `/bulk` is not read as an id).
 * Errors reach `error-map.ts` from the service: `validation_failed` (400, details name each
 * field), `not_found` (404), `conflict` (409: a name taken, a YAML-managed item, dependants
 * without `cascade`), and `cascadeFlag`'s.
 */
export function crudRouter<T>(service: CrudService<T>, extend?: (router: Router) => void): Router {
  const router = Router();
  extend?.(router);
  router.get('/', (_req, res) => void res.json(service.list()));
  router.post('/', async (req, res) => void res.status(201).json(await service.create(req.body)));
  router.get('/:id', (req, res) => void res.json(service.get(req.params.id!)));
  router.put('/:id', async (req, res) => void res.json(await service.update(req.params.id!, req.body)));
  router.delete('/:id', async (req, res) => {
    await service.remove(req.params.id!, cascadeFlag(req));
    res.status(204).end();
  });
  return router;
}
