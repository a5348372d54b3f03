/**
 * The Add/Edit rule form as data: text values ↔ a create or update body checked with the gateway's
 * `routeCreateSchema` / `routeUpdateSchema` (src/shared/schemas), errors by field.
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

export interface RouteFormValues {
  name: string;
  workspace_id: string;
  /** Patterns separated by commas or new lines. */
  tool_pattern: string;
  path_glob: string;
  policy: 'allow' | 'deny' | 'approve';
  /** `''` leaves the gateway's default. */
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

export function routeToForm(rule: RuleAnswer): RouteFormValues {
  return {
    name: rule.name ?? '',
    workspace_id: rule.workspace_id,
    tool_pattern: Array.isArray(rule.tool_pattern) ? rule.tool_pattern.join(', ') : rule.tool_pattern,
    path_glob: rule.path_glob,
    policy: rule.policy,
    approval_mode: rule.approval_mode,
    priority: String(rule.priority),
    server_id: rule.server_id ?? '',
    description: rule.description ?? '',
  };
}

export type RouteFormResult = { ok: true; body: Record<string, unknown> } | { ok: false; errors: FieldErrors };

export function routeFormToBody(values: RouteFormValues, mode: 'create' | 'update'): RouteFormResult {
  const patterns = values.tool_pattern
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const priority = values.priority.trim();
  const local: Record<string, string> = {};
  const body: Record<string, unknown> = {
    workspace_id: values.workspace_id,
    // An empty list is sent as is, so the schema names the field.
    tool_pattern: patterns.length === 1 ? patterns[0] : patterns,
    path_glob: values.path_glob.trim(),
    policy: values.policy,
  };
  if (!/^-?\d+$/.test(priority)) local.priority = 'must be a whole number';
  else body.priority = Number(priority);
  if (values.approval_mode) body.approval_mode = values.approval_mode;
  if (values.name.trim()) body.name = values.name.trim();
  if (values.description.trim()) body.description = values.description.trim();
  if (values.server_id) body.server_id = values.server_id;
  else if (mode === 'update') body.server_id = null;
  const checked = (mode === 'create' ? routeCreateSchema : routeUpdateSchema).safeParse(body);
  const errors: FieldErrors = checked.success ? { fields: {}, other: [] } : fieldErrorsFromZod(checked.error, ROUTE_FORM_FIELDS);
  Object.assign(errors.fields, local);
  if (Object.keys(errors.fields).length > 0 || errors.other.length > 0) return { ok: false, errors };
  return { ok: true, body };
}
