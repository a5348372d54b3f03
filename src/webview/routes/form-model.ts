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
  'priority',
  'server_id',
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
  priority: 'Priority',
  server_id: 'Server',
  description: 'Description',
};

export interface RouteFormValues {
  name: string;
  workspace_id: string;
  /** Patterns separated by commas or new lines. */
  tool_pattern: string;
  path_glob: string;
  policy: 'allow' | 'deny' | 'approve';
  /** `''`: follows the policy (`all` for approve, `none` otherwise), as the gateway derives it. */
  approval_mode: '' | 'none' | 'write' | 'all';
  priority: string;
  /** `''`: any server (the tool's namespace decides). */
  server_id: string;
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
    priority: '100',
    server_id: '',
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
    priority: String(rule.priority),
    server_id: rule.server_id ?? '',
    description: rule.description ?? '',
  };
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
