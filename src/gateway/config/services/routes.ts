import { GatewayError, type ErrorDetail } from '../../errors.js';
import { parseBody, validationError, type Alias } from '../parse.js';
import {
  compactPattern,
  MAX_BULK_ROUTES,
  routeCreateSchema,
  routeUpdateSchema,
  type ConfigState,
  type RouteCreate,
  type RouteRule,
  type Source,
} from '../schemas/index.js';
import type { ConfigStore } from '../store.js';
import { findOrThrow, indexOrThrow, mergePatch, stamp, withId } from './common.js';

export const ROUTE_ALIASES: readonly Alias[] = [
  { from: 'tool_match', to: 'tool_pattern' },
  { from: 'downstream_server_id', to: 'server_id' },
  { from: 'approval_timeout', to: 'approval_timeout_sec' },
];

/** Route rules: which tools a workspace allows, denies or sends for approval. */
export class RouteService {
  constructor(private readonly store: ConfigStore) {}

  list(): RouteRule[] {
    return this.store.state.routes.map(present);
  }

  get(id: string): RouteRule {
    return present(findOrThrow(this.store.state.routes, id, 'route rule'));
  }

  async create(body: unknown, source: Source = 'api'): Promise<RouteRule> {
    const input = parseRoute(body, '');
    const created = await this.store.update((draft) => insert(draft, input, source));
    return present(created);
  }

  /** All-or-nothing: one invalid rule and none is created. Accepts `{rules:[…]}` or a bare array. */
  async createBulk(body: unknown): Promise<RouteRule[]> {
    const rules = Array.isArray(body) ? body : (body as { rules?: unknown } | null)?.rules;
    if (typeof body !== 'object' || body === null || !Array.isArray(rules)) {
      throw validationError([{ path: 'rules', message: 'expected {"rules": [ … ]} or a JSON array of rules' }]);
    }
    if (!Array.isArray(body)) {
      const extra = Object.keys(body).filter((key) => key !== 'rules');
      if (extra.length > 0) throw validationError(extra.map((key) => ({ path: key, message: 'unknown field' })));
    }
    if (rules.length === 0) throw validationError([{ path: 'rules', message: 'empty rules array' }]);
    if (rules.length > MAX_BULK_ROUTES) throw validationError([{ path: 'rules', message: `too many rules (max ${MAX_BULK_ROUTES})` }]);
    const inputs = rules.map((rule, index) => parseRoute(rule, `rules.${index}.`));
    const created = await this.store.update((draft) => inputs.map((input, index) => insert(draft, input, 'api', `rules.${index}.`)));
    return created.map(present);
  }

  async update(id: string, body: unknown): Promise<RouteRule> {
    const patch = parseBody(routeUpdateSchema, body, ROUTE_ALIASES);
    const updated = await this.store.update((draft) => {
      const rule = findOrThrow(draft.routes, id, 'route rule');
      mergePatch(rule, { ...patch, updated_at: new Date().toISOString() });
      if (patch.tool_pattern !== undefined) rule.tool_pattern = compactPattern(patch.tool_pattern);
      checkApproval(rule);
      return rule;
    });
    return present(updated);
  }

  async remove(id: string): Promise<void> {
    await this.store.update((draft) => {
      indexOrThrow(draft.routes, id, 'route rule');
      draft.routes = draft.routes.filter((r) => r.id !== id);
    });
  }
}

function parseRoute(body: unknown, prefix: string): RouteCreate {
  try {
    return parseBody(routeCreateSchema, body, ROUTE_ALIASES);
  } catch (error) {
    if (!(error instanceof GatewayError) || !prefix) throw error;
    throw validationError(error.details.map((d) => ({ path: d.path ? prefix + d.path : prefix.slice(0, -1), message: d.message })));
  }
}

function insert(draft: ConfigState, input: RouteCreate, source: Source, prefix = ''): RouteRule {
  checkReferences(draft, input, prefix);
  const rule: RouteRule = {
    ...withId(input),
    tool_pattern: compactPattern(input.tool_pattern),
    approval_mode: input.approval_mode ?? (input.policy === 'approve' ? 'all' : 'none'),
    ...stamp(source),
  };
  if (input.policy === 'approve' && input.approval_mode === 'none') {
    throw validationError([{ path: 'approval_mode', message: '"none" contradicts policy "approve"' }]);
  }
  checkApproval(rule);
  draft.routes.push(rule);
  return rule;
}

/** Names the missing reference with the rule's own path (`rules.3.server_id` in a bulk create). */
function checkReferences(draft: ConfigState, input: RouteCreate, prefix: string): void {
  const missing: ErrorDetail[] = [];
  if (!draft.workspaces.some((w) => w.id === input.workspace_id))
    missing.push({ path: `${prefix}workspace_id`, message: `workspace "${input.workspace_id}" does not exist` });
  if (input.server_id !== undefined && !draft.downstreams.some((s) => s.id === input.server_id))
    missing.push({ path: `${prefix}server_id`, message: `downstream server "${input.server_id}" does not exist` });
  if (input.auth_scope_id !== undefined && !draft.auth_scopes.some((a) => a.id === input.auth_scope_id))
    missing.push({ path: `${prefix}auth_scope_id`, message: `auth scope "${input.auth_scope_id}" does not exist` });
  if (missing.length > 0) throw validationError(missing);
}

function checkApproval(rule: RouteRule): void {
  if (rule.policy === 'approve' && rule.approval_mode === 'none') rule.approval_mode = 'all';
}

function present(rule: RouteRule): RouteRule {
  return { ...rule, tool_pattern: compactPattern(rule.tool_pattern) };
}
