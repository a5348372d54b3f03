import { z } from 'zod';
import { authScopeTypeSchema } from './auth-scope.js';
import { downstreamSchema } from './downstream.js';
import { routePolicySchema, routeSchema } from './route.js';
import { workspaceSchema } from './workspace.js';

/** `POST /api/v1/dry-run`'s body. `workspace_id` may also be a workspace's name or root path. */
export const dryRunSchema = z.strictObject({
  workspace_id: z.string().min(1, 'must not be empty'),
  tool_name: z.string().min(1, 'must not be empty'),
  /** The client's directory relative to the workspace root. */
  subpath: z
    .string()
    .refine((subpath) => !subpath.startsWith('/'), 'is relative to the workspace root: drop the leading "/" (or give the folder as workspace_id)')
    .refine((subpath) => !subpath.split(/[\\/]/).includes('..'), 'is inside the workspace root and cannot leave it: drop the ".."')
    .optional(),
});
export type DryRunRequest = z.infer<typeof dryRunSchema>;

/** A rule as dry-run shows it: the stored rule, with one pattern answered as a string. */
const candidateRuleSchema = routeSchema.extend({
  /** The workspace of the chain the rule was evaluated in. */
  evaluated_in: z.string(),
  /** The subpath the rule's `path_glob` was tested against. */
  subpath: z.string(),
  matched: z.boolean(),
  /** This rule took the decision. */
  decided: z.boolean(),
  /** The first check that failed. */
  mismatch: z.enum(['path', 'tool', 'namespace']).optional(),
  note: z.string(),
});
export type DryRunCandidateRule = z.infer<typeof candidateRuleSchema>;

/**
 * `POST /api/v1/dry-run`'s answer: the decision a real call would get, with its trace. `error_code`
 * set (`denied`, `no_route`, `unknown_tool`) means the call would not reach a server.
 */
export const dryRunResultSchema = z.object({
  /** The full name that was routed, when it differs from the name asked about. */
  tool_name: z.string().optional(),
  matched: z.boolean(),
  policy: routePolicySchema,
  matched_rule: routeSchema.optional(),
  downstream_server: downstreamSchema.optional(),
  auth_scope_id: z.string().optional(),
  auth_scope: z.object({ id: z.string(), name: z.string(), type: authScopeTypeSchema, oauth_status: z.string() }).optional(),
  approval_required: z.boolean(),
  approval_timeout_sec: z.number().int().optional(),
  error_code: z.enum(['denied', 'no_route', 'unknown_tool']).optional(),
  workspace: workspaceSchema,
  /** The workspaces from the most specific up to `global`, with the subpath in each. */
  chain: z.array(z.object({ workspace_id: z.string(), subpath: z.string() })),
  reason: z.string(),
  candidate_rules: z.array(candidateRuleSchema),
});
export type DryRunResult = z.infer<typeof dryRunResultSchema>;
