/// <reference lib="dom" />
/**
 * The one seam between a view bundle and whatever hosts it. In VS Code that is the webview API
 * (`acquireVsCodeApi`, callable once); in the browser dashboard the page that frames the view
 * (`frame-api.ts`). A view gets its `PostTarget` and saved state only here, so the same bundle runs
 * in both, unchanged.
 */
import type { HostApi } from './channel.js';
import { frameHostApi, type FrameWindow, type StateStorage } from './frame-api.js';

export type { HostApi } from './channel.js';

/** The globals the seam looks at (a test hands in a plain object). */
export interface HostGlobals {
  acquireVsCodeApi?: <S>() => HostApi<S>;
  window?: FrameWindow;
  sessionStorage?: StateStorage;
}

/**
 * The view's host API: VS Code's when the page runs in a webview, else the dashboard frame's.
 * Call once per view (VS Code throws on a second `acquireVsCodeApi`).
 * @throws Error when neither host is present (the bundle was opened on its own, not framed).
 */
export function hostApi<S>(scope: HostGlobals = globalThis as unknown as HostGlobals): HostApi<S> {
  if (typeof scope.acquireVsCodeApi === 'function') return scope.acquireVsCodeApi<S>();
  const win = scope.window;
  if (win && scope.sessionStorage && (win.parent as unknown) !== win) return frameHostApi<S>(win, scope.sessionStorage);
  throw new Error('MCPlexer view: no host (run it in VS Code, or open the dashboard page at the gateway’s / instead of the view alone)');
}
