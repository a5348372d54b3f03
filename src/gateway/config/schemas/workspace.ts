import path from 'node:path';
import { z } from 'zod';
import { entityMeta, idSchema, nameSchema, policySchema } from './common.js';

/** An absolute path, normalised: no `.`/`..` segments, no trailing slash (except `/`). */
export const rootPathSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((value) => path.isAbsolute(value), 'must be an absolute path')
  .transform((value) => normaliseRoot(value));

export function normaliseRoot(value: string): string {
  const normalised = path.resolve(value);
  return normalised.length > 1 && normalised.endsWith(path.sep) ? normalised.slice(0, -1) : normalised;
}

/** Tags are stored as given: an object (the reference's example) or an array (the original's). */
export const tagsSchema = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);

export const workspaceSchema = z.object({
  ...entityMeta,
  name: z.string(),
  // Checked and normalised on load too, so a hand edit follows the same rule as the API.
  root_path: rootPathSchema,
  default_policy: policySchema,
  tags: tagsSchema,
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const workspaceCreateSchema = z.strictObject({
  id: idSchema.optional(),
  name: nameSchema,
  root_path: rootPathSchema,
  default_policy: policySchema.default('allow'),
  tags: tagsSchema.default({}),
  /** `vscode`: made by the extension for a window's folder; default `api`. */
  source: z.enum(['api', 'vscode']).optional(),
});
export type WorkspaceCreate = z.infer<typeof workspaceCreateSchema>;

export const workspaceUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  root_path: rootPathSchema.optional(),
  default_policy: policySchema.optional(),
  tags: tagsSchema.optional(),
});
export type WorkspaceUpdate = z.infer<typeof workspaceUpdateSchema>;

export const GLOBAL_WORKSPACE_ID = 'global';
