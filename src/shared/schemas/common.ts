import { z } from 'zod';

/** Where an entity came from: the REST API, the YAML config file, a built-in seed, or the VS Code extension (a window's folder). */
export const sourceSchema = z.enum(['api', 'yaml', 'default', 'vscode']);
export type Source = z.infer<typeof sourceSchema>;

/** Client-chosen ids are accepted on create (the original round-trips them). */
export const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'may hold only letters, digits, ".", "_", ":" and "-"');

/**
 * Characters a name must not hide: C1 controls, Unicode's bidirectional formatting characters
 * (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069: a "ws1\u202e" shows reversed in every list
 * and audit record, Trojan Source's trick) and the zero-width spaces (U+200B, U+2060, U+FEFF).
 * The zero-width joiners (U+200C/D) stay: Persian and Indic names need them.
 */
/** A high surrogate not followed by a low one, or a low one not after a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const UNSEEN = /[\u0080-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters (a NUL, a tab, a line break)')
  .refine(
    (name) => !UNSEEN.test(name),
    'must not contain invisible characters: C1 controls, direction overrides or marks (U+202E and the like, which show a name reversed) or zero-width spaces',
  )
  // A lone surrogate (half of an emoji, cut by a client) is no character: it shows as U+FFFD and
  // breaks a UTF-8 round trip (audit.db, a client's config file), so the stored name would differ.
  .refine((name) => !LONE_SURROGATE.test(name), 'must be well-formed Unicode (it holds half of a surrogate pair, e.g. a cut-off emoji)');

export const policySchema = z.enum(['allow', 'deny']);
export type DefaultPolicy = z.infer<typeof policySchema>;

export const stringMapSchema = z.record(z.string(), z.string());

/** Fields every stored entity carries. */
export const entityMeta = {
  id: z.string(),
  source: sourceSchema,
  created_at: z.string(),
  updated_at: z.string(),
};

/**
 * Keys no stored map may hold: `JSON.parse` keeps `__proto__` as an own key, but every copy into
 * a plain object (zod records, spreads, `obj[key] = v`) turns it into a prototype write and loses
 * it. `constructor`, `prototype` and the like are ordinary keys: readers use `Object.hasOwn`.
 */
export const UNSTORABLE_KEYS: ReadonlySet<string> = new Set(['__proto__']);
