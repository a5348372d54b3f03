import { z } from 'zod';
import { entityMeta, idSchema, nameSchema } from './common.js';

export const routePolicySchema = z.enum(['allow', 'deny', 'approve']);
export type RoutePolicy = z.infer<typeof routePolicySchema>;
export const approvalModeSchema = z.enum(['none', 'write', 'all']);
export type ApprovalMode = z.infer<typeof approvalModeSchema>;
/** Where a person may answer a rule's approvals (absent: everywhere); the dashboard can always answer. */
export const approvalChannelSchema = z.enum(['dashboard', 'client', 'mcp_agent']);
const approvalChannelsSchema = z
  .array(approvalChannelSchema)
  .min(1, 'must name at least one channel (leave the field out for all of them)')
  .refine((list) => new Set(list).size === list.length, 'names a channel twice');

const toolPatternItem = z.string().trim().min(1, 'tool patterns must be non-empty strings');
/** One pattern is answered as a string, several as an array (the original's `tool_match`). */
export const toolPatternSchema = z.union([toolPatternItem, z.array(toolPatternItem).min(1, 'must hold at least one pattern')], {
  error: 'must be a tool pattern (a string such as "github__*") or an array of them',
});

export const pathGlobSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((glob) => bracketsBalanced(glob), 'has an unbalanced "["')
  .refine((glob) => !glob.startsWith('/'), 'is relative to the workspace root: drop the leading "/"')
  .refine(
    (glob) => !glob.split('/').includes('..'),
    'is inside the workspace root and cannot leave it: drop the ".." (a rule for a parent folder belongs to its workspace)',
  );

function bracketsBalanced(glob: string): boolean {
  let depth = 0;
  for (const char of glob) {
    if (char === '[') depth += 1;
    else if (char === ']' && depth > 0) depth -= 1;
  }
  return depth === 0;
}

export const routeSchema = z.object({
  ...entityMeta,
  name: z.string().optional(),
  description: z.string().optional(),
  workspace_id: z.string(),
  server_id: z.string().optional(),
  tool_pattern: toolPatternSchema,
  path_glob: z.string(),
  policy: routePolicySchema,
  priority: z.number().int(),
  auth_scope_id: z.string().optional(),
  approval_mode: approvalModeSchema,
  approval_timeout_sec: z.number().int().optional(),
  approval_channels: z.array(approvalChannelSchema).optional(),
  log_level: z.string().optional(),
});
export type RouteRule = z.infer<typeof routeSchema>;

const fields = {
  // As every entity's name (a rule's shows in the Routes view, the dashboard and dry-run's reasons).
  name: nameSchema,
  description: z.string().max(2000),
  workspace_id: z.string().min(1, 'must not be empty'),
  server_id: z.string().min(1, 'must not be empty'),
  tool_pattern: toolPatternSchema,
  path_glob: pathGlobSchema,
  policy: routePolicySchema,
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  auth_scope_id: z.string().min(1, 'must not be empty'),
  approval_mode: approvalModeSchema,
  approval_timeout_sec: z.number().int().min(0).max(86_400),
  approval_channels: approvalChannelsSchema,
  log_level: z.enum(['debug', 'info', 'warn', 'error']),
};

export const routeCreateSchema = z.strictObject({
  id: idSchema.optional(),
  name: fields.name.optional(),
  description: fields.description.optional(),
  workspace_id: fields.workspace_id,
  server_id: fields.server_id.optional(),
  tool_pattern: fields.tool_pattern.default('*'),
  path_glob: fields.path_glob.default('**'),
  policy: fields.policy.default('allow'),
  priority: fields.priority.default(100),
  auth_scope_id: fields.auth_scope_id.optional(),
  approval_mode: fields.approval_mode.optional(),
  approval_timeout_sec: fields.approval_timeout_sec.optional(),
  approval_channels: fields.approval_channels.optional(),
  log_level: fields.log_level.optional(),
});
export type RouteCreate = z.infer<typeof routeCreateSchema>;

export const routeUpdateSchema = z.strictObject({
  name: fields.name.optional(),
  description: fields.description.optional(),
  workspace_id: fields.workspace_id.optional(),
  server_id: fields.server_id.nullable().optional(),
  tool_pattern: fields.tool_pattern.optional(),
  path_glob: fields.path_glob.optional(),
  policy: fields.policy.optional(),
  priority: fields.priority.optional(),
  auth_scope_id: fields.auth_scope_id.nullable().optional(),
  approval_mode: fields.approval_mode.optional(),
  approval_timeout_sec: fields.approval_timeout_sec.nullable().optional(),
  approval_channels: fields.approval_channels.nullable().optional(),
  log_level: fields.log_level.optional(),
});
export type RouteUpdate = z.infer<typeof routeUpdateSchema>;

export const MAX_BULK_ROUTES = 50;
export const BUILTIN_ROUTE_ID = 'builtin-allow';

/** The patterns of a rule as a list, whichever form it was stored in. */
export function rulePatterns(rule: Pick<RouteRule, 'tool_pattern'>): string[] {
  return typeof rule.tool_pattern === 'string' ? [rule.tool_pattern] : rule.tool_pattern;
}

/** Collapses a one-element pattern list to a string, as responses show it. */
export function compactPattern(pattern: string | string[]): string | string[] {
  return Array.isArray(pattern) && pattern.length === 1 ? pattern[0]! : pattern;
}
