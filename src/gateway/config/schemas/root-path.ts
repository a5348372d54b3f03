import path from 'node:path';
import { z } from 'zod';
import {
  workspaceCreateSchema as sharedCreate,
  workspaceSchema as sharedStored,
  workspaceUpdateSchema as sharedUpdate,
} from '../../../shared/schemas/index.js';

/**
 * An absolute path on this machine, normalised: no `.`/`..` segments, no trailing slash (except
 * `/`). The shape every client checks is `rootPathShapeSchema` in src/shared; this one needs
 * `node:path` (the gateway's platform decides what is absolute), so it lives here.
 */
export const rootPathSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((value) => path.isAbsolute(value), 'must be an absolute path')
  .transform((value) => normaliseRoot(value));

export function normaliseRoot(value: string): string {
  const normalised = path.resolve(value);
  return normalised.length > 1 && normalised.endsWith(path.sep) ? normalised.slice(0, -1) : normalised;
}

// The shared workspace schemas with `root_path` checked and normalised as above; they shadow the
// shared ones in this module's index, so the store, the services and the YAML import use these.
export const workspaceSchema = sharedStored.extend({ root_path: rootPathSchema });
export const workspaceCreateSchema = sharedCreate.extend({ root_path: rootPathSchema });
export const workspaceUpdateSchema = sharedUpdate.extend({ root_path: rootPathSchema.optional() });
