/**
 * A PUT body may hold what GET returned: the fields the gateway sets (`id`, `source`,
 * `created_at`, `updated_at`, discovered lists, `has_secrets`, …) are accepted and ignored when
 * they equal what GET answers for that item, as REST clients expect of a read-modify-write. A
 * read-only field with another value, or an `id` that is not the item's, is refused by name; a
 * field GET never returns stays an unknown field (the update schema refuses it).
 */
import type { z } from 'zod';
import type { ErrorDetail } from '../../errors.js';
import { assertWithinBounds } from '../bounds.js';
import { validationError, type Alias } from '../parse.js';

/** The fields an update schema writes, and the aliases it takes for them. */
export function writableFields(schema: z.ZodObject, aliases: readonly Alias[] = []): ReadonlySet<string> {
  return new Set([...Object.keys(schema.shape), ...aliases.map((alias) => alias.from)]);
}

/** Equality of two JSON values (prototypes and key order aside). Only called on values within the depth bound. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * `body` without the read-only fields that repeat what GET returns for the item.
 * @param view what GET answers for the item (read only when the body holds a field `writable` lacks)
 * @throws GatewayError `validation_failed` (400) with one detail per read-only field sent with
 *   another value (`<field>: read-only (…)`) and for an `id` that is not the item's; and
 *   `assertWithinBounds`'s refusal of a body too deep to compare
 */
export function withoutReadOnly(body: unknown, writable: ReadonlySet<string>, view: () => object): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const extra = Object.keys(body).filter((key) => !writable.has(key));
  if (extra.length === 0) return body;
  assertWithinBounds(body);
  // As GET wrote it: fields left undefined are absent on the wire.
  const returned = JSON.parse(JSON.stringify(view())) as Record<string, unknown>;
  const kept: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const details: ErrorDetail[] = [];
  for (const key of extra) {
    if (!Object.hasOwn(returned, key)) continue; // not GET's field: the schema names it unknown
    const sent = kept[key];
    delete kept[key];
    if (sameJson(sent, returned[key])) continue;
    const message =
      key === 'id'
        ? `${JSON.stringify(sent)} is not the id of the item in the path (${JSON.stringify(returned.id)}); leave id out, or send the item's own id (ids never change)`
        : 'read-only (it is set by the gateway; leave it out or send the value GET returned)';
    details.push({ path: key, message });
  }
  if (details.length > 0) throw validationError(details);
  return kept;
}
