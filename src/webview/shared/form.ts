/**
 * Form fields built from vscode-elements: a label, the control (marked invalid when its field has
 * an error) and the error beside it. Values flow out through `onValue` on every edit; the caller
 * keeps them (and saves them with setState), so rendering never fights the user's typing.
 */
import { h } from './dom.js';

interface FieldBase {
  name: string;
  label: string;
  error?: string;
  help?: string;
}

function group(base: FieldBase, control: HTMLElement): HTMLElement {
  return h(
    'vscode-form-group',
    { variant: 'vertical', class: 'field', 'data-field': base.name },
    h('vscode-label', { for: `field-${base.name}` }, base.label),
    control,
    base.error ? h('vscode-form-helper', { class: 'field-error', role: 'alert' }, base.error) : base.help ? h('vscode-form-helper', {}, base.help) : null,
  );
}

export function textField(options: FieldBase & { value: string; placeholder?: string; rows?: number; onValue: (value: string) => void }): HTMLElement {
  const control = h(options.rows ? 'vscode-textarea' : 'vscode-textfield', {
    id: `field-${options.name}`,
    name: options.name,
    value: options.value,
    placeholder: options.placeholder,
    rows: options.rows,
    invalid: options.error !== undefined,
    monospace: options.rows !== undefined,
    oninput: (event: Event) => options.onValue((event.target as HTMLInputElement).value),
  });
  return group(options, control);
}

export function selectField(
  options: FieldBase & { value: string; choices: Array<[value: string, label: string]>; onValue: (value: string) => void },
): HTMLElement {
  const control = h(
    'vscode-single-select',
    {
      id: `field-${options.name}`,
      name: options.name,
      invalid: options.error !== undefined,
      onchange: (event: Event) => options.onValue((event.target as HTMLSelectElement).value),
    },
    options.choices.map(([value, label]) => h('vscode-option', { value, selected: value === options.value }, label)),
  );
  (control as HTMLSelectElement).value = options.value;
  return group(options, control);
}

export function checkField(options: FieldBase & { checked: boolean; onValue: (checked: boolean) => void }): HTMLElement {
  const control = h('vscode-checkbox', {
    id: `field-${options.name}`,
    name: options.name,
    label: options.label,
    checked: options.checked,
    onchange: (event: Event) => options.onValue((event.target as HTMLInputElement).checked),
  });
  return h(
    'div',
    { class: 'field', 'data-field': options.name },
    control,
    options.error ? h('vscode-form-helper', { class: 'field-error', role: 'alert' }, options.error) : null,
  );
}

/** The form's errors about no field (a 409, an unknown path), above its buttons. */
export function formErrors(messages: readonly string[]): HTMLElement | null {
  if (messages.length === 0) return null;
  return h(
    'div',
    { class: 'form-errors', role: 'alert' },
    messages.map((m) => h('p', {}, m)),
  );
}

export function button(label: string, onClick: () => void, options: { secondary?: boolean; icon?: string; disabled?: boolean } = {}): HTMLElement {
  return h('vscode-button', { secondary: options.secondary, icon: options.icon, disabled: options.disabled, onclick: onClick }, label);
}
