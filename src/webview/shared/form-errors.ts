/**
 * What the form says beside its Save button (pure). A refusal can be about a field other than the
 * one just edited, far above the button (the user changed Policy; the message is on Approval mode):
 * every error is repeated here, named by its field's label, so it is seen where the user clicked.
 */
import type { FieldErrors } from '../../shared/webviews/field-errors.js';

/** `Approval mode: …` per field error (in the form's order), then the errors about no field. */
export function errorSummary(errors: FieldErrors | undefined, labels: Readonly<Record<string, string>>): string[] {
  if (!errors) return [];
  const fields = Object.keys(labels).filter((field) => errors.fields[field] !== undefined);
  const unknown = Object.keys(errors.fields).filter((field) => !(field in labels));
  return [...[...fields, ...unknown].map((field) => `${labels[field] ?? field}: ${errors.fields[field]}`), ...errors.other];
}
