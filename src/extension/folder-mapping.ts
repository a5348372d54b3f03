import path from 'node:path';
import type { WorkspaceCreateInput } from '../shared/schemas/index.js';

/**
 * Folders → gateway workspaces, as pure planning (no I/O): workspace-sync.ts carries the plans out
 * through the REST client. A folder matches the workspace whose normalised `root_path` is its
 * normalised path; otherwise a workspace is created for it. A removed folder's workspace is kept
 * (its rules are the user's). Roots are unique in the gateway, so a plan never moves a workspace
 * onto a root another one holds, and new names avoid the names in use (names are unique too).
 */
export interface KnownWorkspace {
  id: string;
  name: string;
  root_path: string;
}

export type DefaultPolicy = 'allow' | 'deny';

export type FolderAction =
  | { kind: 'match'; folder: string; workspaceId: string }
  | { kind: 'create'; folder: string; body: WorkspaceCreateInput }
  | { kind: 'move'; folder: string; workspaceId: string; from: string; rootPath: string };

/** A folder of the window as VS Code reports it in a change event: its path and its position. */
export interface FolderRef {
  path: string;
  index: number;
}

/**
 * The path as the gateway stores `root_path`: absolute, `.`/`..` resolved, no trailing separator
 * (except the root). The gateway normalises with the same rule (`normaliseRoot` in its schemas).
 */
export function normaliseRoot(folder: string): string {
  const resolved = path.resolve(folder);
  return resolved.length > 1 && resolved.endsWith(path.sep) ? resolved.slice(0, -1) : resolved;
}

/** A name for a new workspace: the folder's base name, with ` (2)`, ` (3)`… when it is taken. */
export function workspaceName(folder: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = path.basename(normaliseRoot(folder)) || normaliseRoot(folder);
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base} (${n})`)) return `${base} (${n})`;
}

/** For each folder of the window (in order, duplicates once): the workspace it matches, or one to create. */
export function planFolders(folders: readonly string[], workspaces: readonly KnownWorkspace[], defaultPolicy: DefaultPolicy): FolderAction[] {
  const byRoot = new Map(workspaces.map((w) => [normaliseRoot(w.root_path), w]));
  // A name may not be another workspace's id either (the gateway refuses "global", the built-in's id).
  const names = new Set(workspaces.flatMap((w) => [w.name, w.id]));
  const actions: FolderAction[] = [];
  const seen = new Set<string>();
  for (const folder of folders) {
    const root = normaliseRoot(folder);
    if (seen.has(root)) continue;
    seen.add(root);
    const existing = byRoot.get(root);
    if (existing) {
      actions.push({ kind: 'match', folder: root, workspaceId: existing.id });
      continue;
    }
    const name = workspaceName(root, names);
    names.add(name);
    actions.push({ kind: 'create', folder: root, body: { name, root_path: root, default_policy: defaultPolicy, source: 'vscode' } });
  }
  return actions;
}

/**
 * A workspace-folders change: a folder removed and one added at the same position is that folder
 * renamed or moved (VS Code replaces it in place), so its workspace follows it (`move`) unless the
 * new path already has a workspace (`match`). Other added folders match or create; other removed
 * folders' workspaces are kept, untouched.
 */
export function planFolderChange(
  change: { added: readonly FolderRef[]; removed: readonly FolderRef[] },
  workspaces: readonly KnownWorkspace[],
  defaultPolicy: DefaultPolicy,
): FolderAction[] {
  const removedAt = new Map(change.removed.map((f) => [f.index, normaliseRoot(f.path)]));
  const byRoot = new Map(workspaces.map((w) => [normaliseRoot(w.root_path), w]));
  const moves: FolderAction[] = [];
  const rest: string[] = [];
  for (const added of change.added) {
    const to = normaliseRoot(added.path);
    const from = removedAt.get(added.index);
    const moving = from === undefined ? undefined : byRoot.get(from);
    if (from !== undefined && moving && !byRoot.has(to)) {
      moves.push({ kind: 'move', folder: to, workspaceId: moving.id, from, rootPath: to });
      byRoot.delete(from);
      byRoot.set(to, { ...moving, root_path: to });
    } else rest.push(to);
  }
  return [...moves, ...planFolders(rest, [...byRoot.values()], defaultPolicy)];
}

/**
 * Files renamed inside VS Code (explorer, refactorings): every workspace whose root is the renamed
 * path or inside it moves with it, unless its new root already has a workspace.
 */
export function planRenames(renames: ReadonlyArray<{ from: string; to: string }>, workspaces: readonly KnownWorkspace[]): FolderAction[] {
  const roots = new Set(workspaces.map((w) => normaliseRoot(w.root_path)));
  const actions: FolderAction[] = [];
  for (const { from, to } of renames) {
    const oldRoot = normaliseRoot(from);
    const newRoot = normaliseRoot(to);
    for (const workspace of workspaces) {
      const root = normaliseRoot(workspace.root_path);
      if (root === '/' || (root !== oldRoot && !root.startsWith(oldRoot + path.sep))) continue;
      const moved = newRoot + root.slice(oldRoot.length);
      if (roots.has(moved)) continue;
      roots.delete(root);
      roots.add(moved);
      actions.push({ kind: 'move', folder: moved, workspaceId: workspace.id, from: root, rootPath: moved });
    }
  }
  return actions;
}
