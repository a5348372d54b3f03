import { conflict, GatewayError, type ErrorDetail } from '../../errors.js';
import { parseBody, validationError, type Alias } from '../parse.js';
import {
  BUILTIN_ROUTE_ID,
  compactPattern,
  MAX_BULK_ROUTES,
  routeCreateSchema,
  routeUpdateSchema,
  type ConfigState,
  type RouteCreate,
  type RouteRule,
  type RouteUpdate,
  type Source,
} from '../schemas/index.js';
import type { ConfigStore } from '../store.js';
import { mergePatch, refuseYamlManaged, stamp, withId, type ServiceOptions } from './common.js';
import { resolveBodyRefs } from './body-refs.js';
import { byName, findByRef, resolveWorkspace } from './resolve.js';
import { withoutReadOnly, writableFields } from './read-only.js';

export const ROUTE_ALIASES: readonly Alias[] = [
  { from: 'tool_match', to: 'tool_pattern' },
  { from: 'downstream_server_id', to: 'server_id' },
  { from: 'approval_timeout', to: 'approval_timeout_sec' },
];
const WRITABLE = writableFields(routeUpdateSchema, ROUTE_ALIASES);

const findRule = (routes: readonly RouteRule[], ref: string) => findByRef(routes, ref, 'route rule', [byName]);

/**
 * Route rules: which tools a workspace allows, denies or sends for approval. Every `ref` is an
 * id or, for a rule that has one, its name (rule names need not be unique: a shared one is a 409).
 */
export class RouteService {
  constructor(
    private readonly store: ConfigStore,
    private readonly options: ServiceOptions = {},
  ) {}

  list(): RouteRule[] {
    return this.store.state.routes.map(present);
  }

  /**
   * One workspace's rules, the workspace named as anywhere else (id, name or root path); none for
   * a workspace that does not exist. @throws GatewayError `conflict` for an ambiguous name.
   */
  listFor(workspaceRef: string): RouteRule[] {
    let id = workspaceRef;
    try {
      id = resolveWorkspace(this.store.state.workspaces, workspaceRef).id;
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'not_found') throw error;
    }
    return this.list().filter((rule) => rule.workspace_id === id);
  }

  /** @throws GatewayError `not_found`, or `conflict` for a name several rules share. */
  get(ref: string): RouteRule {
    return present(findRule(this.store.state.routes, ref));
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

  async update(ref: string, body: unknown): Promise<RouteRule> {
    const patch = parseBody(
      routeUpdateSchema,
      withoutReadOnly(body, WRITABLE, () => this.get(ref)),
      ROUTE_ALIASES,
    );
    const updated = await this.store.update((draft) => {
      const rule = findRule(draft.routes, ref);
      refuseYamlManaged(rule, 'route rule', this.options);
      resolveBodyRefs(draft, patch);
      const before = { policy: rule.policy, server_id: rule.server_id };
      mergePatch(rule, { ...patch, updated_at: new Date().toISOString() });
      if (patch.tool_pattern !== undefined) rule.tool_pattern = compactPattern(patch.tool_pattern);
      dropStale(draft, rule, before, patch);
      // Only what this patch touched: a pairing stored before this check existed must not block other edits.
      if (patch.server_id !== undefined || patch.auth_scope_id !== undefined) checkReferences(draft, rule, '');
      checkApproval(rule, patch.approval_mode);
      return rule;
    });
    return present(updated);
  }

  /** @throws GatewayError `not_found`; `conflict` for the built-in rule or one managed by YAML. */
  async remove(ref: string): Promise<void> {
    await this.store.update((draft) => {
      const rule = findRule(draft.routes, ref);
      // Seeded again at every start (as the original does), so a delete would last only until then
      // (a trial: the mcpx approval tools came back after a restart). Its policy is the user's.
      if (rule.id === BUILTIN_ROUTE_ID)
        throw conflict(
          `the built-in rule ${BUILTIN_ROUTE_ID} cannot be deleted (it is created again at every start); to keep agents from the mcpx tools, PUT /api/v1/routes/${BUILTIN_ROUTE_ID} {"policy":"deny"}`,
        );
      refuseYamlManaged(rule, 'route rule', this.options);
      draft.routes = draft.routes.filter((r) => r.id !== rule.id);
    });
  }
}

/** The approval mode a policy means when none is sent: `approve` asks for every call, the others for none. */
export function defaultApprovalMode(policy: RouteRule['policy']): RouteRule['approval_mode'] {
  return policy === 'approve' ? 'all' : 'none';
}

/**
 * Fields whose meaning depends on another field are re-derived when that one changes and they
 * were not sent with it, so a PUT never leaves a value that only made sense before:
 * - `approval_mode` follows `policy` (`approve` → `all`, else `none`), and `approval_timeout_sec`
 *   and `approval_channels` go once no approval can apply (a `deny`, or `allow` with mode `none`);
 * - `auth_scope_id` goes when `server_id` changes to a server the scope is not bound to (its
 *   credentials belong to the old server).
 */
function dropStale(draft: ConfigState, rule: RouteRule, before: Pick<RouteRule, 'policy' | 'server_id'>, patch: RouteUpdate): void {
  if (rule.policy !== before.policy && patch.approval_mode === undefined) rule.approval_mode = defaultApprovalMode(rule.policy);
  const approvalPossible = rule.policy === 'approve' || (rule.policy === 'allow' && rule.approval_mode !== 'none');
  if (!approvalPossible && patch.approval_timeout_sec == null) delete rule.approval_timeout_sec;
  if (!approvalPossible && patch.approval_channels == null) delete rule.approval_channels;
  if (rule.server_id !== before.server_id && patch.auth_scope_id === undefined && rule.auth_scope_id !== undefined) {
    const scope = draft.auth_scopes.find((a) => a.id === rule.auth_scope_id);
    if (scope?.server_id !== undefined && scope.server_id !== rule.server_id) delete rule.auth_scope_id;
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
  // Checked here, not only by the store's integrity pass, so a bulk create names the rule (`rules.1.id`).
  if (input.id !== undefined && draft.routes.some((r) => r.id === input.id))
    throw new GatewayError('conflict', `route rule "${input.id}" is already taken`, { details: [{ path: `${prefix}id`, message: 'already taken' }] });
  resolveBodyRefs(draft, input, prefix);
  checkReferences(draft, input, prefix);
  const rule: RouteRule = {
    ...withId(input),
    tool_pattern: compactPattern(input.tool_pattern),
    approval_mode: input.approval_mode ?? defaultApprovalMode(input.policy),
    ...stamp(source),
  };
  checkApproval(rule, input.approval_mode, prefix);
  draft.routes.push(rule);
  return rule;
}

/**
 * Names the missing reference with the rule's own path (`rules.3.server_id` in a bulk create),
 * and an auth scope bound to another server than the rule's (its credentials would go there).
 */
function checkReferences(draft: ConfigState, input: Pick<RouteCreate, 'workspace_id' | 'server_id' | 'auth_scope_id'>, prefix: string): void {
  const missing: ErrorDetail[] = [];
  if (!draft.workspaces.some((w) => w.id === input.workspace_id))
    missing.push({ path: `${prefix}workspace_id`, message: `workspace "${input.workspace_id}" does not exist` });
  if (input.server_id !== undefined && !draft.downstreams.some((s) => s.id === input.server_id))
    missing.push({ path: `${prefix}server_id`, message: `downstream server "${input.server_id}" does not exist` });
  const scope = input.auth_scope_id === undefined ? undefined : draft.auth_scopes.find((a) => a.id === input.auth_scope_id);
  if (input.auth_scope_id !== undefined && !scope)
    missing.push({ path: `${prefix}auth_scope_id`, message: `auth scope "${input.auth_scope_id}" does not exist` });
  else if (scope?.server_id !== undefined && input.server_id !== undefined && scope.server_id !== input.server_id)
    missing.push({
      path: `${prefix}auth_scope_id`,
      message: `auth scope "${scope.name}" holds credentials for server "${scope.server_id}", not for this rule's server "${input.server_id}"`,
    });
  if (missing.length > 0) throw validationError(missing);
}

/**
 * `approval_mode` against `policy`, when the client sent it (a stored value is derived and fits):
 * `approve` with `none` and `deny` with `write`/`all` contradict each other (the original's 400).
 */
export function checkApproval(rule: Pick<RouteRule, 'policy'>, sent: RouteRule['approval_mode'] | undefined, prefix = ''): void {
  if (sent === undefined) return;
  if (rule.policy === 'approve' && sent === 'none')
    throw validationError([{ path: `${prefix}approval_mode`, message: '"none" contradicts policy "approve" (send "all" or "write", or policy "allow")' }]);
  if (rule.policy === 'deny' && sent !== 'none')
    throw validationError([{ path: `${prefix}approval_mode`, message: `"${sent}" means nothing for policy "deny" (a denied call is never asked about)` }]);
}

function present(rule: RouteRule): RouteRule {
  return { ...rule, tool_pattern: compactPattern(rule.tool_pattern) };
}
