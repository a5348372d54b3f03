import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workspace } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { folderSet, type FolderSet } from '../routing/index.js';

export const WORKSPACE_HEADER = 'x-mcplexer-workspace';
const HEADER_NAME = 'X-MCPlexer-Workspace';
const ACCEPTED = 'a workspace id, a workspace name, or an absolute directory path (a file:// URL works too), or a JSON array of them for a multi-root window';
const LISTED = 10;

function refuse(value: string, why: string, workspaces: readonly Workspace[]): GatewayError {
  const known = workspaces.slice(0, LISTED).map((w) => `"${w.name}" (id ${w.id}, root ${w.root_path})`);
  const more = workspaces.length > LISTED ? `, and ${workspaces.length - LISTED} more (GET /api/v1/workspaces)` : '';
  return new GatewayError('bad_request', `${HEADER_NAME} "${value}" ${why}: send ${ACCEPTED}. Workspaces: ${known.join(', ')}${more}.`, {
    details: [{ path: HEADER_NAME, message: `${why}; accepted: ${ACCEPTED}` }],
  });
}

/**
 * The client's directory from the `X-MCPlexer-Workspace` header: an absolute path or `file://`
 * URL as it is (the routing chain then picks the deepest workspace containing it, as for any
 * client directory), or a workspace's id or name (exact, else case-insensitive and unique) as
 * that workspace's root. No header, or an empty one, gives undefined: the client's roots decide.
 * Anything else is refused rather than widened to `global`, because a mistyped value would
 * otherwise lift that workspace's deny rules without a word.
 * @throws GatewayError `bad_request` (HTTP 400) naming the header and the value, listing what is
 * accepted: a relative path, an unknown or ambiguous name or id, a malformed `file://` URL.
 */
export function dirFromHeader(raw: string | string[] | undefined, workspaces: readonly Workspace[]): string | undefined {
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (value.startsWith('file://')) {
    const dir = fileDir(value);
    if (dir === undefined) throw refuse(value, 'is not a valid file:// URL of a local directory', workspaces);
    return dir;
  }
  // As sent: routing takes it lexically normalised and as the kernel resolves it (`..` after a link goes up from the link's target).
  if (path.isAbsolute(value)) return value;
  const byId = workspaces.find((w) => w.id === value);
  if (byId) return byId.root_path;
  let byName = workspaces.filter((w) => w.name === value);
  if (byName.length === 0) byName = workspaces.filter((w) => w.name.toLowerCase() === value.toLowerCase());
  if (byName.length === 1) return byName[0]!.root_path;
  if (byName.length > 1) throw refuse(value, `is the name of ${byName.length} workspaces (${byName.map((w) => w.id).join(', ')}); send one's id`, workspaces);
  if (/[/\\]/.test(value) || value.startsWith('.') || value.startsWith('~')) throw refuse(value, 'is a relative path, not a workspace', workspaces);
  throw refuse(value, 'names no workspace', workspaces);
}

/** What `X-MCPlexer-Workspace` selects: the directory (a multi-root window's first folder) and, for several folders, the set. */
export interface HeaderFolders {
  dir: string;
  folders: FolderSet | undefined;
}

const MAX_FOLDERS = 256;

/**
 * `X-MCPlexer-Workspace` as one folder (see `dirFromHeader`) or a JSON array of them
 * (`["/a","/b"]`, each an absolute path, `file://` URL, workspace id or name): a multi-root
 * window, whose tools/list and calls take the strictest decision of every folder's chain.
 * @throws GatewayError `bad_request` (HTTP 400) naming the header: an array that is not JSON, is
 *   empty, holds a non-string, or any element `dirFromHeader` refuses (named by its index).
 */
export function foldersFromHeader(raw: string | string[] | undefined, workspaces: readonly Workspace[]): HeaderFolders | undefined {
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (!value.startsWith('[')) return { dir: dirFromHeader(value, workspaces)!, folders: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw refuse(value, 'starts with "[" but is not a JSON array', workspaces);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_FOLDERS || parsed.some((item) => typeof item !== 'string' || !item.trim()))
    throw refuse(value, `is not a JSON array of 1 to ${MAX_FOLDERS} non-empty strings`, workspaces);
  const dirs = (parsed as string[]).map((item, index) => {
    try {
      return dirFromHeader(item, workspaces)!;
    } catch (error) {
      throw refuse(value, `has at index ${index} a folder that cannot be used (${(error as GatewayError).details[0]?.message ?? 'unknown'})`, workspaces);
    }
  });
  return { dir: dirs[0]!, folders: dirs.length > 1 ? folderSet(dirs) : undefined };
}

/** What a client's roots select: the directory of the first root the gateway can use, or why none could be used. */
export interface RootsOutcome {
  dir: string | undefined;
  /** Set when roots were given but none names a directory here: what each one is, and why it cannot be used. */
  problem: string | undefined;
}

/**
 * The directory a client's roots (`roots/list` answer, or `roots` in `initialize`) select: the
 * first root that names a directory on this machine. `file://` URLs as they are; VS Code remote
 * roots (`vscode-remote://<authority>/<path>`, e.g. `ssh-remote+host`, `wsl+Ubuntu`,
 * `dev-container+…`) by their path, because the daemon runs where the remote files are. Any other
 * scheme (`http://`, `vscode-vfs://`, `untitled:`) names nothing the gateway can see.
 * Spec: MCP 2025-11-25, client/roots ("uri … MUST be a file:// URI" in this version; clients send others).
 */
export function dirFromRoots(roots: unknown): RootsOutcome {
  if (!Array.isArray(roots) || roots.length === 0) return { dir: undefined, problem: undefined };
  const problems: string[] = [];
  for (const root of roots) {
    const uri = (root as { uri?: unknown } | null)?.uri;
    const found = rootDir(uri);
    if (found.dir !== undefined) return { dir: found.dir, problem: undefined };
    problems.push(found.problem);
  }
  return { dir: undefined, problem: problems.join('; ') };
}

const REMOTE = 'vscode-remote://';

function rootDir(uri: unknown): { dir: string; problem?: undefined } | { dir?: undefined; problem: string } {
  if (typeof uri !== 'string') return { problem: 'a root without a uri string was ignored' };
  const shown = JSON.stringify(uri.length > 200 ? `${uri.slice(0, 200)}…` : uri);
  if (uri.startsWith('file://')) {
    const dir = fileDir(uri);
    return dir === undefined ? { problem: `root ${shown} is not a valid file:// URL of a local directory` } : { dir };
  }
  if (uri.startsWith(REMOTE)) {
    const dir = remoteDir(uri);
    return dir === undefined ? { problem: `root ${shown} is not a valid vscode-remote://<authority>/<path> URI` } : { dir };
  }
  return {
    problem: `root ${shown} cannot be used: only file:// and vscode-remote:// roots name a directory the gateway can see (send X-MCPlexer-Workspace to choose the workspace)`,
  };
}

/** A VS Code remote root's path, as a path on this machine (the gateway runs on the remote host). */
function remoteDir(uri: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return undefined;
  }
  if (!parsed.host || !parsed.pathname.startsWith('/')) return undefined;
  return fileDir(`file://${parsed.pathname}`);
}

function fileDir(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
