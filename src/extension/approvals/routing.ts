/**
 * Which window raises a pending approval, and how (pure: no `vscode`, no I/O). The windows register
 * their folders with the daemon (`GET /api/v1/windows`); a request belongs to the workspace its call
 * resolved to (`workspace_id`, whose `root_path` the workspaces list gives).
 *
 * - A window folder *matches* a workspace when it is the workspace's root or one of its ancestors:
 *   a call under that root was made inside the folder. A folder inside the root does not match (its
 *   own workspace, which every window folder gets, would have taken the call).
 * - The windows whose matching folder is the deepest own the request (several, when two windows
 *   hold the same folder). A workspace no window matches — `global` always, whose root `/` is a
 *   catch-all rather than a folder — belongs to every attached window.
 */
import path from 'node:path';
import { normaliseRoot } from '../folder-mapping.js';

export const GLOBAL_WORKSPACE = 'global';

/** What the routing reads of `GET /windows`. */
export interface WindowFolders {
  window_id: string;
  folders: readonly string[];
}

/** What the routing reads of `GET /workspaces`. */
export interface WorkspaceRoot {
  id: string;
  root_path: string;
}

/** `mcplexer.approvals.notify`. */
export type NotifySetting = 'always' | 'whenFocused' | 'never';
export const NOTIFY_SETTINGS: readonly NotifySetting[] = ['always', 'whenFocused', 'never'];

/** True when `folder` is `root` or an ancestor of it (both normalised). */
export function folderContains(folder: string, root: string): boolean {
  if (folder === root) return true;
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return root.startsWith(prefix);
}

/**
 * The ids of the windows owning a workspace: those whose deepest matching folder is the deepest of
 * all windows; `[]` when no window's folder matches (then every window takes the request).
 * @param root the workspace's `root_path`; `undefined` (unknown workspace) matches no window
 */
export function ownersOf(workspaceId: string, root: string | undefined, windows: readonly WindowFolders[]): string[] {
  if (workspaceId === GLOBAL_WORKSPACE || root === undefined) return [];
  const target = normaliseRoot(root);
  let best = -1;
  let owners: string[] = [];
  for (const window of windows) {
    const depth = Math.max(
      -1,
      ...window.folders
        .map(normaliseRoot)
        .filter((f) => folderContains(f, target))
        .map((f) => f.length),
    );
    if (depth < 0 || depth < best) continue;
    if (depth > best) owners = [];
    best = depth;
    owners.push(window.window_id);
  }
  return owners;
}

export interface OwnershipInput {
  /** This window's id (its lease) and folders: counted even when `GET /windows` does not list it yet. */
  self: WindowFolders;
  windows: readonly WindowFolders[];
  workspaces: readonly WorkspaceRoot[];
  workspaceId: string;
}

/** Whether this window raises the request: it owns the workspace, or no window does. */
export function ownsRequest(input: OwnershipInput): boolean {
  const windows = input.windows.some((w) => w.window_id === input.self.window_id)
    ? input.windows.map((w) => (w.window_id === input.self.window_id ? input.self : w))
    : [...input.windows, input.self];
  const root = input.workspaces.find((w) => w.id === input.workspaceId)?.root_path;
  const owners = ownersOf(input.workspaceId, root, windows);
  return owners.length === 0 || owners.includes(input.self.window_id);
}

/**
 * What this window does with a pending request: `notify` raises a notification now; `wait` keeps it
 * in the status-bar count and raises it when the window gains focus (`whenFocused`); `count` only
 * counts it (not this window's, or `never`).
 */
export type Delivery = 'notify' | 'wait' | 'count';

export function deliveryFor(owned: boolean, setting: NotifySetting, focused: boolean): Delivery {
  if (!owned || setting === 'never') return 'count';
  if (setting === 'whenFocused' && !focused) return 'wait';
  return 'notify';
}

/** The setting as read, or `always` for a value this version does not know. */
export function notifySetting(value: unknown): NotifySetting {
  return NOTIFY_SETTINGS.includes(value as NotifySetting) ? (value as NotifySetting) : 'always';
}
