/**
 * Field-level errors for the forms (webview forms and the palette's input boxes): zod issues from
 * the shared schemas and the gateway's 400 `details` map to the same `{field → message}` table, so a
 * message shows beside the field it is about whichever side found it.
 */
import type { z } from 'zod';
import type { WireError } from './protocol.js';

export interface FieldErrors {
  /** The first message per form field (a body path's first segment: `env.FOO` → `env`). */
  fields: Record<string, string>;
  /** Messages about no field of the form (a 409, a path the form has no field for), prefixed with their path. */
  other: string[];
}

function collect(items: Array<{ path: string[]; message: string }>, formFields: readonly string[]): FieldErrors {
  const result: FieldErrors = { fields: {}, other: [] };
  for (const { path, message } of items) {
    const field = path[0];
    if (field !== undefined && formFields.includes(field)) {
      result.fields[field] ??= message;
    } else {
      result.other.push(path.length > 0 ? `${path.join('.')}: ${message}` : message);
    }
  }
  return result;
}

/** The issues of a failed `safeParse` of one of the shared schemas. */
export function fieldErrorsFromZod(error: z.ZodError, formFields: readonly string[]): FieldErrors {
  return collect(
    error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    formFields,
  );
}

/**
 * A gateway error: its `details` (`path` dotted, as the body field) go to their fields; without
 * details, or with none for a field of the form, the message itself is the form's error.
 */
export function fieldErrorsFromWire(error: WireError, formFields: readonly string[]): FieldErrors {
  const result = collect(
    error.details.map((detail) => ({ path: detail.path === '' ? [] : detail.path.split('.'), message: detail.message })),
    formFields,
  );
  if (Object.keys(result.fields).length === 0) result.other.unshift(error.message);
  return result;
}

export function hasErrors(errors: FieldErrors): boolean {
  return errors.other.length > 0 || Object.keys(errors.fields).length > 0;
}
