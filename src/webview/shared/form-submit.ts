import { fieldErrorsFromWire, type FieldErrors } from '../../shared/webviews/field-errors.js';
import { RequestError } from './channel.js';

/** A create/update form as the views keep it in their saved state. */
export interface SubmittableForm<V> {
  mode: 'create' | 'update';
  /** The entity edited (update). */
  id?: string;
  values: V;
  /** The values as the form opened (update): only the fields that differ are sent. */
  initial?: V;
  errors?: FieldErrors;
  busy?: boolean;
}

export interface SubmitSteps<V> {
  /** The form's values checked with the gateway's schema: the body, or the errors per field. */
  check(values: V, mode: 'create' | 'update', initial?: V): { ok: true; body: Record<string, unknown> } | { ok: false; errors: FieldErrors };
  /** Sends the body (create or update) through the host. */
  send(form: SubmittableForm<V>, body: Record<string, unknown>): Promise<unknown>;
  /** The form's fields, so a gateway refusal's details land on them. */
  fields: readonly string[];
  render(): void;
  /** The write went through: close the form and reload. */
  done(): Promise<void>;
  /** A refusal that names no field, as text. */
  errorText(error: unknown): string;
}

/**
 * Submits a form the way every view does: checked locally first (errors on their fields, nothing
 * sent), then busy while the host writes; a gateway refusal maps its details to the fields, and the
 * form stays open with what the user typed.
 */
export async function submitForm<V>(form: SubmittableForm<V> | undefined, steps: SubmitSteps<V>): Promise<void> {
  if (!form) return;
  const checked = steps.check(form.values, form.mode, form.initial);
  if (!checked.ok) {
    form.errors = checked.errors;
    return steps.render();
  }
  form.busy = true;
  form.errors = undefined;
  steps.render();
  try {
    await steps.send(form, checked.body);
    await steps.done();
  } catch (error) {
    form.busy = false;
    form.errors = error instanceof RequestError ? fieldErrorsFromWire(error.wire, steps.fields) : { fields: {}, other: [steps.errorText(error)] };
    steps.render();
  }
}
