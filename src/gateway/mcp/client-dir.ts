import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workspace } from '../config/index.js';
import { GatewayError } from '../errors.js';

export const WORKSPACE_HEADER = 'x-mcplexer-workspace';
const HEADER_NAME = 'X-MCPlexer-Workspace';
const ACCEPTED = 'a workspace id, a workspace name, or an absolute directory path (a file:// URL works too)';
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

/** The first `file://` root a client reported, as a path. */
export function dirFromRoots(roots: unknown): string | undefined {
  if (!Array.isArray(roots)) return undefined;
  for (const root of roots) {
    const uri = (root as { uri?: unknown })?.uri;
    if (typeof uri === 'string' && uri.startsWith('file://')) return fileDir(uri);
  }
  return undefined;
}

function fileDir(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
