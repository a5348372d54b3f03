import type { z } from 'zod';
import { GatewayError, type ErrorDetail } from '../errors.js';
import { assertWithinBounds } from './bounds.js';

/** An accepted input alias: the original's field name, and how its value maps to ours. */
export interface Alias {
  from: string;
  to: string;
  map?: (value: unknown) => unknown;
}

/**
 * Parses a request body with a zod schema, after renaming the original's alias fields.
 * Sending a name and its alias together is refused; every problem names its field. The body's
 * depth and keys are checked first (bounds.ts), so no schema ever walks a value too deep to store.
 * @throws GatewayError `validation_failed` (400) with one detail per problem, each naming its field.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, aliases: readonly Alias[] = []): z.output<S> {
  assertWithinBounds(body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('validation_failed', 'request body must be a JSON object', { details: [{ path: '', message: 'expected a JSON object' }] });
  }
  const input: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const details: ErrorDetail[] = [];
  for (const alias of aliases) {
    if (!Object.hasOwn(input, alias.from)) continue;
    if (Object.hasOwn(input, alias.to)) {
      details.push({ path: alias.from, message: `"${alias.from}" is an alias of "${alias.to}": send only one of them` });
      continue;
    }
    const value = input[alias.from];
    delete input[alias.from];
    input[alias.to] = alias.map ? alias.map(value) : value;
  }
  if (details.length > 0) throw validationError(details);
  return parseValue(schema, input);
}

export function parseValue<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(zodDetails(result.error));
  return result.data;
}

/**
 * zod's wording for people who write JSON: "record" is an object, and a missing value is
 * `required (expected string)` rather than `Invalid input: expected string, received undefined`.
 */
export function zodWording(message: string): string {
  const text = message.replace(/^Invalid input: /, '').replace(/\brecord\b/g, 'object');
  const missing = /^expected (.+), received undefined$/.exec(text);
  return missing ? `required (expected ${missing[1]})` : text;
}

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: base ? `${base}.${key}` : key, message: 'unknown field' });
    } else {
      details.push({ path: base, message: zodWording(issue.message) });
    }
  }
  return details;
}

export function validationError(details: ErrorDetail[]): GatewayError {
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  return new GatewayError('validation_failed', `invalid request body: ${summary}`, { details });
}

/** A boolean negation alias (`disabled` → `enabled`) that keeps a wrong type visible to the schema. */
export const negate = (value: unknown): unknown => (typeof value === 'boolean' ? !value : value);
