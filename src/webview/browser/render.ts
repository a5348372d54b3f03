/// <reference lib="dom" />
/** The dashboard page's own DOM: the sign-in form, the header with tabs, and the frames' holder. */
import { h } from '../shared/dom.js';
import type { PageView } from './views.js';

export interface SignInHandlers {
  onToken(token: string): void;
}

/** The sign-in panel: where the token is, and the one-time-code alternative. */
export function renderSignIn(message: string | undefined, busy: boolean, handlers: SignInHandlers): HTMLElement {
  const field = h('vscode-textfield', { id: 'token', type: 'password', placeholder: 'API token', 'aria-label': 'API token', autocomplete: 'off' });
  const submit = () => handlers.onToken(String((field as unknown as { value: string }).value ?? ''));
  field.addEventListener('keydown', (event) => void ((event as KeyboardEvent).key === 'Enter' && submit()));
  return h(
    'section',
    { class: 'sign-in panel', 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, 'Sign in to this MCPlexer gateway'),
    h(
      'p',
      {},
      'Paste the gateway’s API token. Print it with ',
      h('code', {}, 'mcplexer token'),
      ' (or read the file ',
      h('code', {}, 'api-token'),
      ' in the data directory: ',
      h('code', {}, '~/.mcplexer'),
      ', or ',
      h('code', {}, '$MCPLEXER_HOME'),
      '). It is sent once, for a session that this tab keeps until the gateway stops; the token itself is not kept.',
    ),
    h(
      'p',
      { class: 'muted' },
      'Or run ',
      h('code', {}, 'mcplexer open'),
      ' (or “MCPlexer: Open Dashboard in Browser” in VS Code): it opens this page signed in.',
    ),
    message ? h('p', { class: 'banner tone-error', role: 'alert' }, message) : null,
    h('div', { class: 'field' }, field),
    h('div', { class: 'buttons' }, h('vscode-button', { id: 'sign-in', disabled: busy, onclick: submit }, busy ? 'Checking…' : 'Sign in')),
  );
}

export interface HeaderState {
  views: readonly PageView[];
  active: string;
  connection: string;
  tone: 'muted' | 'error';
}

/** The header: title, one tab per view (ARIA tabs), the connection and sign-out. */
export function renderHeader(state: HeaderState, onTab: (bundle: string) => void, onSignOut: () => void): HTMLElement {
  return h(
    'header',
    { class: 'dashboard-header' },
    h('h1', {}, 'MCPlexer'),
    h(
      'nav',
      { role: 'tablist', 'aria-label': 'Views' },
      state.views.map((view) =>
        h(
          'button',
          {
            role: 'tab',
            id: `tab-${view.bundle}`,
            class: view.bundle === state.active ? 'tab active' : 'tab',
            'aria-selected': String(view.bundle === state.active),
            'aria-controls': `panel-${view.bundle}`,
            onclick: () => onTab(view.bundle),
          },
          view.title,
        ),
      ),
    ),
    h('span', { class: `connection tone-${state.tone}` }, state.connection),
    h('vscode-button', { secondary: true, onclick: onSignOut }, 'Sign out'),
  );
}
