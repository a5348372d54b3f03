import { GatewayError, type ErrorDetail } from '../../errors.js';
import { validationError } from '../parse.js';
import type { ConfigState } from '../schemas/index.js';
import { byName, findByRef, resolveDownstream, resolveWorkspace } from './resolve.js';

/** The references a body may hold, each by id or as the REST paths name the entity (`null` in a patch: removed). */
export interface BodyRefs {
  workspace_id?: string | null | undefined;
  server_id?: string | null | undefined;
  auth_scope_id?: string | null | undefined;
}

/**
 * Puts ids in place of the references of a route or auth scope body, which name an entity as
 * the REST paths do: a workspace by id, name or root path, a server by id, name or namespace, an
 * auth scope by id or name. A user who created a server named `github` and sent
 * `"server_id": "github"` read 'downstream server "github" does not exist' (a trial), while
 * `/downstreams/github` answered. What is stored is always the id. Mutates `refs`.
 *
 * @param prefix the body's path in a bulk create (`rules.3.`), for the details
 * @throws GatewayError `validation_failed` (400) naming each field that names nothing (or several
 *   entities: the message lists their ids)
 */
export function resolveBodyRefs(draft: ConfigState, refs: BodyRefs, prefix = ''): void {
  const problems: ErrorDetail[] = [];
  const resolve = (field: keyof BodyRefs, find: (ref: string) => { id: string }, kind: string, by: string) => {
    const ref = refs[field];
    if (ref === undefined || ref === null) return;
    try {
      refs[field] = find(ref).id;
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const message = error.code === 'not_found' ? `${kind} "${ref}" does not exist (give its ${by})` : error.message;
      problems.push({ path: `${prefix}${field}`, message });
    }
  };
  resolve('workspace_id', (ref) => resolveWorkspace(draft.workspaces, ref), 'workspace', 'id, name or root path');
  resolve('server_id', (ref) => resolveDownstream(draft.downstreams, ref), 'downstream server', 'id, name or namespace');
  resolve('auth_scope_id', (ref) => findByRef(draft.auth_scopes, ref, 'auth scope', [byName]), 'auth scope', 'id or name');
  if (problems.length > 0) throw validationError(problems);
}
