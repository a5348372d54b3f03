/**
 * The Add/Edit rule form as data: text values ↔ a create or update body checked with the gateway's
 * `routeCreateSchema` / `routeUpdateSchema` (src/shared/schemas), errors by field.
 *
 * An edit sends only the fields the user changed (`PUT` merges): the gateway re-derives the fields
 * that follow another (docs/configuration.md, "Fields that depend on another follow it"), so a
 * stored `approval_mode: none` the user never chose no longer contradicts a new policy `approve`.
 */
import { routeCreateSchema, routeUpdateSchema } from '../../shared/schemas/index.js';
import type { RuleAnswer } from '../../shared/webviews/answers.js';
import { fieldErrorsFromZod, type FieldErrors } from '../../shared/webviews/field-errors.js';

export const ROUTE_FORM_FIELDS = [
  'name',
  'workspace_id',
  'tool_pattern',
  'path_glob',
  'policy',
  'approval_mode',
  'approval_timeout_sec',
  'approval_channels',
  'priority',
  'server_id',
  'auth_scope_id',
  'description',
] as const;

/** The fields' labels, as the form shows them (also in the error summary beside Save). */
export const ROUTE_FIELD_LABELS: Record<(typeof ROUTE_FORM_FIELDS)[number], string> = {
  name: 'Name',
  workspace_id: 'Workspace',
  tool_pattern: 'Tool patterns',
  path_glob: 'Path glob',
  policy: 'Policy',
  approval_mode: 'Approval mode',
  approval_timeout_sec: 'Approval timeout (seconds)',
  approval_channels: 'Who may answer',
  priority: 'Priority',
  server_id: 'Server',
  auth_scope_id: 'Auth scope',
  description: 'Description',
};

/** The longest approval wait a rule may set (the gateway's `approval_timeout_sec` bound). */
const MAX_APPROVAL_TIMEOUT_SEC = 86_400;

/** The channels a rule may shut (the dashboard and the editor can always answer: `approvals/service.ts`). */
export const OPTIONAL_CHANNELS = ['client', 'mcp_agent'] as const;
export type OptionalChannel = (typeof OPTIONAL_CHANNELS)[number];

export interface RouteFormValues {
  name: string;
  workspace_id: string;
  /** Patterns separated by commas or new lines. */
  tool_pattern: string;
  path_glob: string;
  policy: 'allow' | 'deny' | 'approve';
  /** `''`: follows the policy (`all` for approve, `none` otherwise), as the gateway derives it. */
  approval_mode: '' | 'none' | 'write' | 'all';
  /** Whole seconds; `''`: the gateway's setting `approval_timeout_sec` (300 by default), as a stored 0 means too. */
  approval_timeout_sec: string;
  /**
   * The optional channels that may answer besides the dashboard, comma-separated in
   * `OPTIONAL_CHANNELS` order; `''`: every channel (the rule has no `approval_channels`).
   */
  approval_channels: string;
  priority: string;
  /** `''`: any server (the tool's namespace decides). */
  server_id: string;
  /** `''`: none (the server's own credentials, if any). */
  auth_scope_id: string;
  description: string;
}

export function emptyRouteForm(workspaceId: string): RouteFormValues {
  return {
    name: '',
    workspace_id: workspaceId,
    tool_pattern: '',
    path_glob: '**',
    policy: 'allow',
    approval_mode: '',
    approval_timeout_sec: '',
    approval_channels: '',
    priority: '100',
    server_id: '',
    auth_scope_id: '',
    description: '',
  };
}

/** The approval mode a policy means when none is chosen (the gateway's `defaultApprovalMode`). */
export function policyApprovalMode(policy: RouteFormValues['policy']): 'none' | 'all' {
  return policy === 'approve' ? 'all' : 'none';
}

/**
 * A stored rule as the edit form shows it. An approval mode equal to what its policy means shows as
 * `''` (follows the policy): the gateway derived it, the user did not choose it.
 */
export function routeToForm(rule: RuleAnswer): RouteFormValues {
  return {
    name: rule.name ?? '',
    workspace_id: rule.workspace_id,
    tool_pattern: Array.isArray(rule.tool_pattern) ? rule.tool_pattern.join(', ') : rule.tool_pattern,
    path_glob: rule.path_glob,
    policy: rule.policy,
    approval_mode: rule.approval_mode === policyApprovalMode(rule.policy) ? '' : rule.approval_mode,
    approval_timeout_sec: rule.approval_timeout_sec ? String(rule.approval_timeout_sec) : '',
    approval_channels: channelsText(rule.approval_channels),
    priority: String(rule.priority),
    server_id: rule.server_id ?? '',
    auth_scope_id: rule.auth_scope_id ?? '',
    description: rule.description ?? '',
  };
}

/** A stored channel list as the form keeps it: `''` when every optional channel may answer. */
function channelsText(channels: readonly string[] | undefined): string {
  if (!channels) return '';
  const open = OPTIONAL_CHANNELS.filter((c) => channels.includes(c));
  return open.length === OPTIONAL_CHANNELS.length ? '' : ['dashboard', ...open].join(',');
}

/** Whether a channel besides the dashboard may answer this rule's approvals, as the form stands. */
export function channelOpen(values: Pick<RouteFormValues, 'approval_channels'>, channel: OptionalChannel): boolean {
  return values.approval_channels === '' || values.approval_channels.split(',').includes(channel);
}

/** The form's channel text with one optional channel opened or shut. */
export function withChannel(values: Pick<RouteFormValues, 'approval_channels'>, channel: OptionalChannel, open: boolean): string {
  const next = OPTIONAL_CHANNELS.filter((c) => (c === channel ? open : channelOpen(values, c)));
  return channelsText(['dashboard', ...next]);
}

/** Whether the rule, as the form stands, can ever ask for approval (else its approval fields mean nothing). */
export function approvalPossible(values: Pick<RouteFormValues, 'policy' | 'approval_mode'>): boolean {
  if (values.policy === 'deny') return false;
  return (values.approval_mode || policyApprovalMode(values.policy)) !== 'none';
}

/**
 * One edit of the form. A new policy takes an approval mode the user has not touched along (back to
 * "follows the policy"), as the gateway would re-derive it, so the form shows what will be stored.
 *
 * @returns whether other fields changed too (the form must be drawn again)
 */
export function setRouteFormValue<K extends keyof RouteFormValues>(
  form: { values: RouteFormValues; initial?: RouteFormValues },
  field: K,
  value: RouteFormValues[K],
): boolean {
  form.values[field] = value;
  if (field !== 'policy' || form.values.approval_mode === '') return false;
  if (form.values.approval_mode !== (form.initial?.approval_mode ?? '')) return false;
  form.values.approval_mode = '';
  return true;
}

/**
 * The approval mode against the policy, in the form's words (what to choose, not what to send):
 * the gateway refuses the same pairs (`checkApproval`).
 */
function approvalContradiction(policy: RouteFormValues['policy'], mode: string): string | undefined {
  if (policy === 'approve' && mode === 'none')
    return '“none” never asks, but policy “approve” asks before each call: choose “all”, “write” or “(follows the policy)”, or policy “allow”';
  if (policy === 'deny' && mode !== 'none')
    return `“${mode}” means nothing for policy “deny” (a denied call is never asked about): choose “(follows the policy)”`;
  return undefined;
}

export type RouteFormResult = { ok: true; body: Record<string, unknown> } | { ok: false; errors: FieldErrors };

/**
 * The body the form stands for: every field for a create; for an update (`initial` = the form as it
 * opened) only the fields whose value changed, so the gateway keeps or re-derives the rest. A
 * changed approval mode of "(follows the policy)" is sent as what the policy means.
 */
export function routeFormToBody(values: RouteFormValues, mode: 'create' | 'update', initial?: RouteFormValues): RouteFormResult {
  const patterns = values.tool_pattern
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const priority = values.priority.trim();
  const local: Record<string, string> = {};
  const changed = (field: keyof RouteFormValues) => mode === 'create' || !initial || values[field] !== initial[field];
  const body: Record<string, unknown> = {};
  if (changed('workspace_id')) body.workspace_id = values.workspace_id;
  // An empty list is sent as is, so the schema names the field.
  if (changed('tool_pattern')) body.tool_pattern = patterns.length === 1 ? patterns[0] : patterns;
  if (changed('path_glob')) body.path_glob = values.path_glob.trim();
  if (changed('policy')) body.policy = values.policy;
  if (changed('priority')) {
    if (!/^-?\d+$/.test(priority)) local.priority = 'must be a whole number';
    else body.priority = Number(priority);
  }
  if (mode === 'create' ? values.approval_mode !== '' : changed('approval_mode')) {
    body.approval_mode = values.approval_mode || policyApprovalMode(values.policy);
    const contradiction = approvalContradiction(values.policy, body.approval_mode as string);
    if (contradiction) local.approval_mode = contradiction;
  }
  // The gateway drops a rule's timeout and channels once no approval can apply: not sent then.
  if (approvalPossible(values)) {
    const timeout = values.approval_timeout_sec.trim();
    if (mode === 'create' ? timeout !== '' : timeout !== (initial?.approval_timeout_sec ?? '')) {
      if (timeout === '') body.approval_timeout_sec = null;
      else if (!/^\d+$/.test(timeout)) local.approval_timeout_sec = 'must be a whole number of seconds (empty: the gateway’s setting)';
      else if (Number(timeout) > MAX_APPROVAL_TIMEOUT_SEC) local.approval_timeout_sec = `must be at most ${MAX_APPROVAL_TIMEOUT_SEC} seconds (24 hours)`;
      else body.approval_timeout_sec = Number(timeout);
    }
    if (mode === 'create' ? values.approval_channels !== '' : changed('approval_channels'))
      body.approval_channels = values.approval_channels === '' ? null : values.approval_channels.split(',');
  }
  if (changed('auth_scope_id')) {
    if (values.auth_scope_id) body.auth_scope_id = values.auth_scope_id;
    else if (mode === 'update') body.auth_scope_id = null;
  }
  if (changed('name') && values.name.trim()) body.name = values.name.trim();
  if (changed('description') && values.description.trim()) body.description = values.description.trim();
  if (changed('server_id')) {
    if (values.server_id) body.server_id = values.server_id;
    else if (mode === 'update') body.server_id = null;
  }
  const checked = (mode === 'create' ? routeCreateSchema : routeUpdateSchema).safeParse(body);
  const errors: FieldErrors = checked.success ? { fields: {}, other: [] } : fieldErrorsFromZod(checked.error, ROUTE_FORM_FIELDS);
  Object.assign(errors.fields, local);
  if (Object.keys(errors.fields).length > 0 || errors.other.length > 0) return { ok: false, errors };
  return { ok: true, body };
}
