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

/** Workspace id → its root's real path (normalised), for the roots where that differs from the root as written. */
export type RealRoots = ReadonlyMap<string, string>;

/**
 * Every workspace whose root equals the directory or is an ancestor of it, longest root first
 * (equal lengths keep the input order), then `global`. Without a directory the chain is just
 * `global` with subpath `""`. Workspaces with an empty `root_path` never apply. A root written
 * through a symbolic link (`realRoots`) holds a directory below it as written or as its real path
 * (so `/tmp/ws`, really `/private/tmp/ws`, holds `/private/tmp/ws/a`). The directory itself is
 * taken as given: its other spelling (its real path) is the router's to decide as well (router.ts).
 */
export function resolveChain(workspaces: readonly Workspace[], dir: string | undefined, realRoots: RealRoots = new Map()): WorkspaceChain {
  const normalised = normaliseDir(dir);
  let global: Workspace | undefined;
  const matches: Array<{ workspace: Workspace; root: string }> = [];
  for (const workspace of workspaces) {
    if (workspace.id === GLOBAL_WORKSPACE_ID) {
      global ??= workspace;
      continue;
    }
    const written = normaliseDir(workspace.root_path);
    if (written === undefined || normalised === undefined) continue;
    const real = realRoots.get(workspace.id);
    const root = rootContains(written, normalised) ? written : real !== undefined && rootContains(real, normalised) ? real : undefined;
    if (root !== undefined) matches.push({ workspace, root });
  }
  matches.sort((a, b) => b.root.length - a.root.length);
  const links: ChainLink[] = matches.map(({ workspace, root }) => ({ workspace, subpath: subpathWithin(root, normalised) }));
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
