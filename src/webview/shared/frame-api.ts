/// <reference lib="dom" />
import type { HostApi } from './channel.js';

/** What the frame adapter needs of its window (a test hands in a plain object). */
export interface FrameWindow {
  readonly parent: { postMessage(message: unknown, targetOrigin: string): void };
  readonly location: { readonly origin: string; readonly pathname: string };
  addEventListener(type: 'message', listener: (event: Pick<MessageEvent, 'origin' | 'source' | 'stopImmediatePropagation'>) => void, capture: true): void;
}

/** What it needs of `sessionStorage`. */
export type StateStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The sessionStorage key of a view's saved state (one per view and browser tab). */
export const stateKey = (view: string) => `mcplexer.view-state.${view}`;

/** The view's bundle name from its frame's path (`/ui/view/<bundle>`). */
export function viewOfPath(pathname: string): string {
  return pathname.split('/').filter(Boolean).pop() ?? 'view';
}

/**
 * A view's host API inside the browser dashboard: the view is framed by the dashboard page (same
 * origin), which runs the host end. Messages go to the parent, addressed to this origin only; the
 * saved state lives in `sessionStorage` (per tab, survives a reload, gone with the tab), so the view
 * keeps what it keeps in VS Code with `setState`.
 *
 * Messages reach the view only from its parent on this origin: another page that holds a handle to
 * the frame (it cannot frame it: `frame-ancestors 'self'`, but an opener can reach `frames[0]`)
 * is dropped by a capture listener registered before the view's own, so the view's unchanged
 * `message` listener never sees it.
 */
export function frameHostApi<S>(win: FrameWindow, storage: StateStorage): HostApi<S> {
  const key = stateKey(viewOfPath(win.location.pathname));
  win.addEventListener(
    'message',
    (event) => {
      if (event.origin !== win.location.origin || event.source !== win.parent) event.stopImmediatePropagation();
    },
    true,
  );
  return {
    postMessage: (message) => win.parent.postMessage(message, win.location.origin),
    getState() {
      const text = storage.getItem(key);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as S;
      } catch (error) {
        // A state this version cannot read starts the view afresh (as VS Code's would after an update).
        console.warn(`${key}: saved state unreadable, starting afresh: ${(error as Error).message}`);
        return undefined;
      }
    },
    setState(state) {
      storage.setItem(key, JSON.stringify(state));
      return state;
    },
  };
}
