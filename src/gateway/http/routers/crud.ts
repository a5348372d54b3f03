import { Router, type Request } from 'express';
import { parseQuery } from '../../config/index.js';
import { GatewayError } from '../../errors.js';
import { takesNoBody } from '../no-body.js';

/**
 * What a CRUD resource service offers; every router below is a thin adapter over one. `T` is what
 * list and get answer, `V` what create and update answer (the shared response types of
 * src/shared/api.ts: the routers' callers name them, so a service cannot drift from the wire).
 */
export interface CrudService<T, V = T> {
  list(): T[];
  get(id: string): T;
  create(body: unknown): Promise<V>;
  update(id: string, body: unknown): Promise<V>;
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
 * without `cascade`), `cascadeFlag`'s, and `validation_failed` for any query parameter on a GET.
 */
export function crudRouter<T, V = T>(service: CrudService<T, V>, extend?: (router: Router) => void): Router {
  const router = Router();
  extend?.(router);
  // No query parameters: one sent (`?workspace_id=` on a list that does not filter) was ignored,
  // and the whole list answered as if filtered (a trial). `extend` may answer a list that filters.
  router.get('/', (req, res) => (parseQuery({}, req.query), void res.json(service.list() satisfies T[])));
  router.post('/', async (req, res) => void res.status(201).json((await service.create(req.body)) satisfies V));
  router.get('/:id', (req, res) => (parseQuery({}, req.query), void res.json(service.get(req.params.id!) satisfies T)));
  router.put('/:id', async (req, res) => void res.json((await service.update(req.params.id!, req.body)) satisfies V));
  router.delete('/:id', takesNoBody, async (req, res) => {
    await service.remove(req.params.id!, cascadeFlag(req));
    res.status(204).end();
  });
  return router;
}
