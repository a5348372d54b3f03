/** The Add/Edit server form (DOM). Values live in the caller's state; errors come from form-model.ts. */
import type { FieldErrors } from '../../shared/webviews/field-errors.js';
import { h } from '../shared/dom.js';
import { button, checkField, formErrors, selectField, textField } from '../shared/form.js';
import { errorSummary } from '../shared/form-errors.js';
import { SERVER_FIELD_LABELS, type ServerFormValues } from './form-model.js';

export interface ServerFormState {
  mode: 'create' | 'update';
  /** The server edited (update). */
  id?: string;
  values: ServerFormValues;
  /** The values as the form opened (update): only what differs is sent. */
  initial?: ServerFormValues;
  errors?: FieldErrors;
  busy?: boolean;
}

export interface ServerFormHandlers {
  /** A value changed: the caller saves it (no re-render, so typing is never interrupted). */
  onValue<K extends keyof ServerFormValues>(field: K, value: ServerFormValues[K]): void;
  /** The transport changed: the form re-renders with the other fields. */
  onTransport(value: 'stdio' | 'http'): void;
  onSubmit(): void;
  onCancel(): void;
}

/** The gateway masks secret-looking values (a token, a password) and keeps the stored one when the mask comes back. */
const SECRET_HELP = 'A secret (a token, a key, a password) shows as ******** and is stored encrypted; leave ******** to keep it. Better still: an auth scope.';

export function renderServerForm(form: ServerFormState, on: ServerFormHandlers): HTMLElement {
  const v = form.values;
  const err = (field: string) => form.errors?.fields[field];
  const text = (name: keyof ServerFormValues, label: string, extra: { placeholder?: string; rows?: number; help?: string } = {}) =>
    textField({ name, label, value: String(v[name]), error: err(name), ...extra, onValue: (value) => on.onValue(name, value as never) });
  return h(
    'form',
    { class: 'panel form', 'aria-label': form.mode === 'create' ? 'Add server' : 'Edit server', onsubmit: (e: Event) => (e.preventDefault(), on.onSubmit()) },
    h('h2', {}, form.mode === 'create' ? 'Add server' : `Edit ${v.name}`),
    text('name', 'Name'),
    text('namespace', 'Namespace', { help: 'Tools are listed as <namespace>__<tool>' }),
    selectField({
      name: 'transport',
      label: 'Transport',
      value: v.transport,
      choices: [
        ['stdio', 'stdio: a command the gateway starts'],
        ['http', 'http: a remote Streamable HTTP server'],
      ],
      error: err('transport'),
      onValue: (value) => on.onTransport(value as 'stdio' | 'http'),
    }),
    v.transport === 'stdio'
      ? [
          text('command', 'Command', { placeholder: 'npx' }),
          text('args', 'Arguments (one per line)', { rows: 3, placeholder: '-y\n@modelcontextprotocol/server-memory' }),
          text('cwd', 'Working directory (optional)'),
          text('env', 'Environment (KEY=VALUE per line)', { rows: 2, help: SECRET_HELP }),
        ]
      : [text('url', 'URL', { placeholder: 'https://example.com/mcp' }), text('headers', 'Headers (Name: value per line)', { rows: 2, help: SECRET_HELP })],
    selectField({
      name: 'discovery',
      label: 'Discovery',
      value: v.discovery,
      choices: [
        ['static', 'static: list its tools'],
        ['dynamic', 'dynamic: reach them through mcpx__search_tools'],
      ],
      error: err('discovery'),
      onValue: (value) => on.onValue('discovery', value as ServerFormValues['discovery']),
    }),
    text('max_instances', 'Max instances'),
    text('idle_timeout_sec', 'Idle timeout (seconds, 0 = never)'),
    checkField({ name: 'enabled', label: 'Enabled', checked: v.enabled, error: err('enabled'), onValue: (checked) => on.onValue('enabled', checked) }),
    // Beside Save: an error on a field far above (not the one just edited) is seen where the user clicked.
    formErrors(errorSummary(form.errors, SERVER_FIELD_LABELS)),
    h(
      'div',
      { class: 'buttons' },
      button(form.mode === 'create' ? 'Add' : 'Save', on.onSubmit, { disabled: form.busy }),
      button('Cancel', on.onCancel, { secondary: true }),
    ),
  );
}
