/**
 * The views' entry to their host, under the name they already import: VS Code's webview API in an
 * editor, the dashboard page in a browser (see host-api.ts).
 */
import { hostApi, type HostApi } from './host-api.js';

export type VsCodeApi<S> = HostApi<S>;

export function vscodeApi<S>(): VsCodeApi<S> {
  return hostApi<S>();
}
