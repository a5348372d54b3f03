/**
 * The views the dashboard page shows as tabs, in order: every entry of `VIEWS` (the same protocols
 * and handlers the extension hosts), each with its bundle (`dist/webview/<bundle>.js`, served in a
 * frame at /ui/view/<bundle>) and its tab title.
 */
import { routesHandlers } from '../../shared/webviews/host/routes-handlers.js';
import { serversHandlers } from '../../shared/webviews/host/servers-handlers.js';
import { routesProtocol } from '../../shared/webviews/routes-protocol.js';
import { serversProtocol } from '../../shared/webviews/servers-protocol.js';
import type { ClientSource } from '../../shared/webviews/host/client-source.js';
import type { ViewEntry } from '../shared/browser-host.js';

export interface PageView {
  /** The bundle's base name, also the tab's id in the URL hash. */
  bundle: string;
  title: string;
  entry: ViewEntry;
}

const titled = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

// Until VIEWS (src/shared/webviews/host/views.ts) exists on this branch: the two views of issue 17.
const ENTRIES: ViewEntry[] = [
  { protocol: serversProtocol, handlers: (source: ClientSource) => serversHandlers(source) },
  { protocol: routesProtocol, handlers: (source: ClientSource) => routesHandlers(source) },
] as unknown as ViewEntry[];

export const PAGE_VIEWS: readonly PageView[] = ENTRIES.map((entry) => ({ bundle: entry.protocol.name, title: titled(entry.protocol.name), entry }));
