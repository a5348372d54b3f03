/**
 * What every view shows while the gateway is unreachable (a daemon that crashed or was killed): a
 * banner saying that what is below is from before, and in the editor a button that restarts it
 * (the host runs "MCPlexer: Restart Gateway"); the content is greyed (`stale`). A new user's trial
 * killed the daemon and found the Servers view still saying "ready" under the status line, with no
 * way to act from the view. The browser page has no such button: the gateway serves it, and its
 * host keeps retrying.
 */
import type { GatewayStateNote } from '../../shared/webviews/answers.js';
import { h } from './dom.js';
import { button } from './form.js';

export const OFFLINE_TEXT = 'The gateway is not reachable: what this view shows is from before it stopped.';

/** The banner for `connection`, or null while the gateway is reachable (or still attaching). */
export function offlineBanner(connection: GatewayStateNote, restart: () => void): HTMLElement | null {
  if (connection.state !== 'error') return null;
  return h(
    'div',
    { class: 'banner tone-error offline', role: 'alert' },
    h('span', {}, `${OFFLINE_TEXT} `),
    connection.restart ? button('Restart gateway', restart, { icon: 'debug-restart' }) : h('span', {}, 'Retrying…'),
  );
}

/** Greys what the view holds while the gateway is unreachable (the toolbar and the banner stay as they are). */
export function markStale(app: HTMLElement, connection: GatewayStateNote): void {
  app.classList.toggle('stale', connection.state === 'error');
}
