import { z } from 'zod';
import { entityMeta, idSchema, nameSchema, UNSTORABLE_KEYS } from './common.js';

export const authScopeTypeSchema = z.enum(['env', 'header', 'oauth2']);

const envKeySchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a variable or header name (letters, digits, "_", "-")')
  // Used as a key of the stored env_vars map, where "__proto__" could never be kept (UNSTORABLE_KEYS).
  .refine((key) => !UNSTORABLE_KEYS.has(key), 'the name "__proto__" cannot be stored; choose another name');

/** Stored form: every `env_vars` value is an encrypted envelope from `secrets/`, never clear text. */
export const authScopeSchema = z.object({
  ...entityMeta,
  name: z.string(),
  server_id: z.string().optional(),
  type: authScopeTypeSchema,
  env_vars: z.record(z.string(), z.string()),
  oauth_provider_id: z.string().optional(),
  token_env_var: z.string().optional(),
  redaction_hints: z.array(z.string()),
  /** An `oauth2` scope's tokens: an encrypted envelope of the token record (oauth/), never answered. */
  oauth_token: z.string().optional(),
  /** Why the last exchange or refresh failed (the status is then `expired`). */
  oauth_error: z.string().optional(),
});
export type AuthScope = z.infer<typeof authScopeSchema>;

export const authScopeCreateSchema = z.strictObject({
  id: idSchema.optional(),
  name: nameSchema,
  server_id: z.string().min(1, 'must not be empty').optional(),
  type: authScopeTypeSchema.default('env'),
  env_vars: z.record(envKeySchema, z.string()).default({}),
  oauth_provider_id: z.string().min(1).optional(),
  token_env_var: envKeySchema.optional(),
  redaction_hints: z.array(z.string().min(1)).default([]),
});
export type AuthScopeCreate = z.infer<typeof authScopeCreateSchema>;

/** `env_vars` in an update merges key by key; a `null` value removes that key. */
export const authScopeUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  server_id: z.string().min(1).nullable().optional(),
  type: authScopeTypeSchema.optional(),
  env_vars: z.record(envKeySchema, z.string().nullable()).optional(),
  oauth_provider_id: z.string().min(1).nullable().optional(),
  token_env_var: envKeySchema.nullable().optional(),
  redaction_hints: z.array(z.string().min(1)).optional(),
});
export type AuthScopeUpdate = z.infer<typeof authScopeUpdateSchema>;

export const SECRET_MASK = '********';

/** The original's value endpoint: one key at a time. */
export const secretWriteSchema = z.strictObject({
  key: envKeySchema,
  value: z.string(),
});
