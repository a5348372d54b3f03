/**
 * The views the dashboard page shows as tabs, in order: every entry of `VIEWS` (the same protocols,
 * bundles and handlers the extension hosts); a view's frame is served at /ui/view/<bundle>.
 */
import type { AnyProtocol } from '../../shared/webviews/protocol.js';
import { VIEWS, type ViewEntry } from '../../shared/webviews/host/views.js';

export type PageView = ViewEntry<AnyProtocol>;

export const PAGE_VIEWS: readonly PageView[] = Object.values(VIEWS) as unknown as PageView[];
