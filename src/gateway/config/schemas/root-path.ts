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

/** The longest root a create or update may set: Linux's PATH_MAX (macOS's is 1024). */
export const MAX_ROOT_PATH_LENGTH = 4096;

/**
 * `rootPathSchema` for what a create or an update sets: also no longer than PATH_MAX and without
 * control characters. No folder a client sends can be in such a root (an HTTP header such as
 * X-MCPlexer-Workspace cannot carry them, and no path holds a NUL), so stored it could never match;
 * a new user's trial stored a NUL, a newline and a 100,000-character root. Only new values are
 * held to it: a root already stored loads as before (nothing stored may break a later write).
 */
export const rootPathInputSchema = z
  .string()
  .max(MAX_ROOT_PATH_LENGTH, `must be at most ${MAX_ROOT_PATH_LENGTH} characters (PATH_MAX)`)
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters (a NUL, a newline, a tab, …)')
  .pipe(rootPathSchema);

export function normaliseRoot(value: string): string {
  const normalised = path.resolve(value);
  return normalised.length > 1 && normalised.endsWith(path.sep) ? normalised.slice(0, -1) : normalised;
}

// The shared workspace schemas with `root_path` checked and normalised as above; they shadow the
// shared ones in this module's index, so the store, the services and the YAML import use these.
export const workspaceSchema = sharedStored.extend({ root_path: rootPathSchema });
export const workspaceCreateSchema = sharedCreate.extend({ root_path: rootPathInputSchema });
export const workspaceUpdateSchema = sharedUpdate.extend({ root_path: rootPathInputSchema.optional() });
