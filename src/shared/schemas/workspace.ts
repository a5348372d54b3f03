import { z } from 'zod';
import { entityMeta, idSchema, nameSchema, policySchema } from './common.js';

/**
 * A POSIX (`/…`) or Windows (`C:\…`, `\\server\…`) absolute path, checked without `node:path`
 * so that a view can validate a form with it. The gateway's config module replaces this field with
 * one that also normalises through `node:path` on the gateway's own platform (`rootPathSchema` there).
 */
export const rootPathShapeSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((value) => /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(value), 'must be an absolute path');

/** Tags are stored as given: an object (the reference's example) or an array (the original's). */
export const tagsSchema = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);

export const workspaceSchema = z.object({
  ...entityMeta,
  name: z.string(),
  // Checked and normalised on load too (config's rootPathSchema), so a hand edit follows the same rule as the API.
  root_path: rootPathShapeSchema,
  default_policy: policySchema,
  tags: tagsSchema,
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const workspaceCreateSchema = z.strictObject({
  id: idSchema.optional(),
  name: nameSchema,
  root_path: rootPathShapeSchema,
  default_policy: policySchema.default('allow'),
  tags: tagsSchema.default({}),
  /** `vscode`: made by the extension for a window's folder; default `api`. */
  source: z.enum(['api', 'vscode']).optional(),
});
export type WorkspaceCreate = z.infer<typeof workspaceCreateSchema>;

export const workspaceUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  root_path: rootPathShapeSchema.optional(),
  default_policy: policySchema.optional(),
  tags: tagsSchema.optional(),
});
export type WorkspaceUpdate = z.infer<typeof workspaceUpdateSchema>;

export const GLOBAL_WORKSPACE_ID = 'global';
