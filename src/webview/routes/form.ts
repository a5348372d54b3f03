/** The Add/Edit rule form (DOM). Values live in the caller's state; errors come from form-model.ts. */
import type { FieldErrors } from '../../shared/webviews/field-errors.js';
import { h } from '../shared/dom.js';
import { button, checkField, formErrors, selectField, textField } from '../shared/form.js';
import { errorSummary } from '../shared/form-errors.js';
import { approvalPossible, channelOpen, OPTIONAL_CHANNELS, ROUTE_FIELD_LABELS, withChannel, type OptionalChannel, type RouteFormValues } from './form-model.js';

export interface RouteFormState {
  mode: 'create' | 'update';
  id?: string;
  /** The rule edited, as people name it (`ruleName`), for the heading. */
  title?: string;
  values: RouteFormValues;
  /** The values as the form opened (update): only what differs is sent. */
  initial?: RouteFormValues;
  errors?: FieldErrors;
  busy?: boolean;
}

export interface RouteFormContext {
  workspaces: Array<[id: string, label: string]>;
  servers: Array<[id: string, label: string]>;
  /** The auth scopes a rule may name (`auth_scope_id`). */
  authScopes: Array<[id: string, label: string]>;
}

const CHANNEL_LABELS: Record<OptionalChannel, string> = {
  client: 'The user in the calling client (when it can show a form)',
  mcp_agent: 'Another agent, through the mcpx approval tools',
};

export function renderRouteForm(
  form: RouteFormState,
  context: RouteFormContext,
  on: { onValue<K extends keyof RouteFormValues>(field: K, value: RouteFormValues[K]): void; onSubmit(): void; onCancel(): void },
): HTMLElement {
  const v = form.values;
  const err = (field: string) => form.errors?.fields[field];
  const text = (name: keyof RouteFormValues, label: string, extra: { placeholder?: string; help?: string } = {}) =>
    textField({ name, label, value: v[name], error: err(name), ...extra, onValue: (value) => on.onValue(name, value as never) });
  const select = (name: keyof RouteFormValues, choices: Array<[string, string]>) =>
    selectField({ name, label: ROUTE_FIELD_LABELS[name], value: v[name], choices, error: err(name), onValue: (value) => on.onValue(name, value as never) });
  return h(
    'form',
    { class: 'panel form', 'aria-label': form.mode === 'create' ? 'Add rule' : 'Edit rule', onsubmit: (e: Event) => (e.preventDefault(), on.onSubmit()) },
    h('h2', {}, form.mode === 'create' ? 'Add rule' : `Edit rule ${form.title ?? ''}`.trim()),
    select('workspace_id', context.workspaces),
    text('tool_pattern', 'Tool patterns', { placeholder: 'github__*, memory__read_graph', help: 'Globs on namespace__tool, separated by commas' }),
    text('path_glob', 'Path glob', { help: 'Relative to the workspace root; ** is everything' }),
    select('policy', [
      ['allow', 'allow'],
      ['deny', 'deny'],
      ['approve', 'approve (ask before the call)'],
    ]),
    select('approval_mode', [
      ['', '(follows the policy)'],
      ['none', 'none'],
      ['write', 'write: tools not marked read-only'],
      ['all', 'all'],
    ]),
    approvalPossible(v)
      ? [
          text('approval_timeout_sec', ROUTE_FIELD_LABELS.approval_timeout_sec, {
            placeholder: '300',
            help: 'How long a call waits for an answer; empty or 0: the gateway’s setting',
          }),
          h(
            'div',
            { class: 'field', 'data-field': 'approval_channels', role: 'group', 'aria-label': ROUTE_FIELD_LABELS.approval_channels },
            h('vscode-label', {}, ROUTE_FIELD_LABELS.approval_channels),
            OPTIONAL_CHANNELS.map((channel) =>
              checkField({
                name: `approval_channel_${channel}`,
                label: CHANNEL_LABELS[channel],
                checked: channelOpen(v, channel),
                onValue: (open) => on.onValue('approval_channels', withChannel(v, channel, open)),
              }),
            ),
            err('approval_channels')
              ? h('vscode-form-helper', { class: 'field-error', role: 'alert' }, err('approval_channels'))
              : h('vscode-form-helper', {}, 'The dashboard and the editor can always answer'),
          ),
        ]
      : null,
    text('priority', 'Priority', { help: 'Higher first among rules of equal path and tool specificity' }),
    select('server_id', [['', '(the tool’s namespace decides)'], ...context.servers]),
    select('auth_scope_id', [['', '(none: the server’s own credentials)'], ...context.authScopes]),
    text('name', 'Name (optional)'),
    text('description', 'Description (optional)'),
    // Beside Save: an error on a field far above (not the one just edited) is seen where the user clicked.
    formErrors(errorSummary(form.errors, ROUTE_FIELD_LABELS)),
    h(
      'div',
      { class: 'buttons' },
      button(form.mode === 'create' ? 'Add' : 'Save', on.onSubmit, { disabled: form.busy }),
      button('Cancel', on.onCancel, { secondary: true }),
    ),
  );
}
