/// <reference lib="dom" />
/**
 * The browser dashboard page (`GET /`): signs in (one-time code, token, or this tab's session), then
 * shows every view as a tab. Each view runs its own bundle, unchanged, in a same-origin frame; this
 * page is its host (browser-host.ts): the same HostChannel and handlers the extension runs, with a
 * RestClient on this origin.
 */
import '../shared/zod-jitless.js';
import '../shared/elements.js';
import '../shared/base.css';
import './page.css';
import { RestClient } from '../../shared/rest-client.js';
import { BrowserHost, type FrameHost } from '../shared/browser-host.js';
import { mount } from '../shared/dom.js';
import { apiFetch, signIn, signInWithToken, signOut, type SignIn } from './auth.js';
import { renderHeader, renderSignIn } from './render.js';
import { PAGE_VIEWS } from './views.js';

const app = document.getElementById('app')!;
const origin = location.origin;
const baseFetch: typeof fetch = (input, init) => fetch(input, init);
const deps = { fetch: baseFetch, storage: sessionStorage, href: location.href, replaceUrl: (url: string) => history.replaceState(null, '', url) };
const log = { warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

interface Frame {
  element: HTMLIFrameElement;
  host: FrameHost;
}

let host: BrowserHost | undefined;
const frames = new Map<string, Frame>();
let active = PAGE_VIEWS.some((v) => `#${v.bundle}` === location.hash) ? location.hash.slice(1) : PAGE_VIEWS[0]!.bundle;
let header: HTMLElement | undefined;
const panels = document.createElement('div');
panels.className = 'panels';

function showSignIn(message?: string, busy = false): void {
  stopHost();
  mount(
    app,
    renderSignIn(message, busy, {
      onToken: (typed) => {
        showSignIn(undefined, true);
        void signInWithToken(deps, typed).then(
          (result) => start(result),
          (error: Error) => showSignIn(`The gateway did not answer: ${error.message}`),
        );
      },
    }),
  );
  (document.getElementById('token') as HTMLElement | null)?.focus();
}

function stopHost(): void {
  host?.stop();
  host = undefined;
  for (const frame of frames.values()) frame.element.remove();
  frames.clear();
}

function start(signedIn: SignIn): void {
  if (signedIn.mode === 'signed-out') return showSignIn(signedIn.message);
  stopHost();
  let signedOut = false;
  const fetchImpl = apiFetch(baseFetch, signedIn, () => {
    if (signedOut) return;
    signedOut = true;
    showSignIn('The gateway no longer accepts this sign-in (it restarted, or the session went unused for 8 hours): sign in again.');
  });
  const client = new RestClient(origin, undefined, fetchImpl);
  const current = new BrowserHost({ client: () => client, folders: () => [], scope: 'gateway' }, origin, log);
  host = current;
  mount(app, (header = document.createElement('header')), panels);
  current.start(
    () => client.events(),
    () => current === host && renderChrome(),
  );
  select(active);
}

/** Shows one view, creating its frame on first use (the others keep running, hidden). */
function select(bundle: string): void {
  active = bundle;
  history.replaceState(null, '', `#${bundle}`);
  if (!frames.has(bundle) && host) {
    const view = PAGE_VIEWS.find((v) => v.bundle === bundle)!;
    const element = document.createElement('iframe');
    element.src = `/ui/view/${encodeURIComponent(bundle)}`;
    element.title = view.title;
    element.id = `panel-${bundle}`;
    element.setAttribute('role', 'tabpanel');
    element.setAttribute('aria-labelledby', `tab-${bundle}`);
    const frameHost = host.attach(view, (message) => element.contentWindow?.postMessage(message, origin));
    frames.set(bundle, { element, host: frameHost });
    panels.appendChild(element);
  }
  for (const [name, frame] of frames) frame.element.hidden = name !== bundle;
  renderChrome();
}

function renderChrome(): void {
  if (!header || !host) return;
  const state = host.connection.state;
  const next = renderHeader(
    {
      views: PAGE_VIEWS,
      active,
      connection: state === 'ready' ? `Gateway ${origin}` : state === 'attaching' ? 'Connecting…' : 'The gateway is not answering; retrying…',
      tone: state === 'error' ? 'error' : 'muted',
    },
    select,
    () => void signOut(deps).finally(() => showSignIn()),
  );
  header.replaceWith(next);
  header = next;
}

// A frame's messages reach its host only from this origin and from that very frame.
window.addEventListener('message', (event: MessageEvent) => {
  if (event.origin !== origin) return;
  for (const frame of frames.values()) {
    if (event.source === frame.element.contentWindow) return void frame.host.receive(event.data);
  }
});
window.addEventListener('pagehide', () => stopHost());

signIn(deps).then(start, (error: Error) => showSignIn(`The gateway did not answer: ${error.message}`));
