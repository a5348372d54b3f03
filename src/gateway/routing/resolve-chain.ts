import path from 'node:path';
import { GLOBAL_WORKSPACE_ID, type Workspace } from '../config/index.js';

/** One workspace of a chain, with the client's directory relative to its root. */
export interface ChainLink {
  readonly workspace: Workspace;
  /** No leading or trailing `/`; `""` at the root; for root `/` the directory minus its leading `/`. */
  readonly subpath: string;
}

/**
 * The workspaces that apply to a client directory, most specific first, `global` last and
 * present exactly once. `key` identifies the chain within one config (it is derived from the
 * directory, which determines the chain), and is what the decision cache is keyed by.
 */
export interface WorkspaceChain {
  readonly links: readonly ChainLink[];
  readonly dir: string | undefined;
  readonly key: string;
}

const NO_DIR_KEY = '\u0000';

/**
 * A directory in the form the string tests use: `\` turned into `/` (Windows paths compare with
 * roots written either way), `.` and `..` segments resolved and repeated `/` collapsed (lexically,
 * as `path.resolve` does: `/ws/x/../secret` is `/ws/secret`, so no spelling of a directory escapes
 * the rules of the workspace it is in), trailing `/` dropped except for the root itself.
 * `""` → undefined. Pure: symbolic links are the router's `realPath` port's (router.ts).
 */
export function normaliseDir(dir: string | undefined): string | undefined {
  if (dir === undefined || dir === '') return undefined;
  let out = path.posix.normalize(dir.includes('\\') ? dir.replace(/\\/g, '/') : dir);
  while (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

/** The original's containment test: equal, or starts with `root + "/"`; root `/` contains everything. */
export function rootContains(root: string, dir: string): boolean {
  if (root === '/' || root === dir) return true;
  return dir.startsWith(root + '/');
}

/** `dir` relative to `root` (both normalised); `""` at the root or when `root` does not contain `dir`. */
export function subpathWithin(root: string, dir: string | undefined): string {
  if (dir === undefined || dir === root) return '';
  if (root === '/') return dir.replace(/^\/+/, '');
  return dir.startsWith(root + '/') ? dir.slice(root.length + 1) : '';
}

/** The stand-in for a config without a `global` workspace (the seeds always add one). */
export function fallbackGlobal(): Workspace {
  return {
    id: GLOBAL_WORKSPACE_ID,
    name: 'Global',
    root_path: '/',
    default_policy: 'allow',
    tags: {},
    source: 'default',
    created_at: '',
    updated_at: '',
  };
}

/**
 * What the file system says of a directory and of the workspaces' roots (the router's `realPath`
 * port): each one's real path, where that differs from its normalised spelling because a symbolic
 * link is on the way. Absent: paths are taken as written.
 */
export interface RealPaths {
  /** The client directory's real path (normalised), when it differs from the directory. */
  readonly dir?: string;
  /** Workspace id → its root's real path (normalised), for the roots where that differs. */
  readonly roots?: ReadonlyMap<string, string>;
}

/** The subpath of the first (root, dir) pair where the root contains the dir, trying the written forms first; undefined: none does. */
function containedSubpath(roots: readonly string[], dirs: readonly string[]): { root: string; subpath: string } | undefined {
  for (const root of roots) for (const dir of dirs) if (rootContains(root, dir)) return { root, subpath: subpathWithin(root, dir) };
  return undefined;
}

/**
 * Every workspace whose root equals the directory or is an ancestor of it, longest root first
 * (equal lengths keep the input order), then `global`. Without a directory the chain is just
 * `global` with subpath `""`. Workspaces with an empty `root_path` never apply.
 *
 * With `real`, a workspace applies when its root, as written or as its real path, contains the
 * directory as written or as its real path: a folder opened through a symbolic link gets the
 * rules of the workspace whose files it holds, and a link inside a workspace keeps that
 * workspace's rules (a symlink can neither lift a workspace's deny rules nor move a folder out of it).
 */
export function resolveChain(workspaces: readonly Workspace[], dir: string | undefined, real: RealPaths = {}): WorkspaceChain {
  const normalised = normaliseDir(dir);
  const dirs = normalised === undefined ? [] : real.dir !== undefined && real.dir !== normalised ? [normalised, real.dir] : [normalised];
  let global: Workspace | undefined;
  const matches: Array<{ workspace: Workspace; root: string; subpath: string }> = [];
  for (const workspace of workspaces) {
    if (workspace.id === GLOBAL_WORKSPACE_ID) {
      global ??= workspace;
      continue;
    }
    const root = normaliseDir(workspace.root_path);
    if (root === undefined || dirs.length === 0) continue;
    const realRoot = real.roots?.get(workspace.id);
    const found = containedSubpath(realRoot !== undefined && realRoot !== root ? [root, realRoot] : [root], dirs);
    if (found) matches.push({ workspace, ...found });
  }
  matches.sort((a, b) => b.root.length - a.root.length);
  const links: ChainLink[] = matches.map(({ workspace, subpath }) => ({ workspace, subpath }));
  const globalWorkspace = global ?? fallbackGlobal();
  const globalRoot = normaliseDir(globalWorkspace.root_path) ?? '/';
  links.push({ workspace: globalWorkspace, subpath: subpathWithin(globalRoot, normalised) });
  return { links, dir: normalised, key: normalised ?? NO_DIR_KEY };
}

/** The directory a dry-run of `subpath` inside `workspace` stands for: its root joined with the subpath. */
export function dirWithin(workspace: Workspace, subpath: string | undefined): string {
  const root = normaliseDir(workspace.root_path) ?? '/';
  const rest = (subpath ?? '').replace(/^\/+|\/+$/g, '');
  if (rest === '') return root;
  return root === '/' ? `/${rest}` : `${root}/${rest}`;
}
