import { fileURLToPath } from 'node:url';
import type { Workspace } from '../config/index.js';

export const WORKSPACE_HEADER = 'x-mcplexer-workspace';

/**
 * The client's directory from the `X-MCPlexer-Workspace` header: an absolute path, or a
 * workspace id (its root is used). Unknown ids give undefined (the global workspace applies).
 */
export function dirFromHeader(value: string | string[] | undefined, workspaces: readonly Workspace[]): string | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (!header?.trim()) return undefined;
  const trimmed = header.trim();
  if (trimmed.startsWith('/')) return trimmed;
  if (trimmed.startsWith('file://')) return fileDir(trimmed);
  return workspaces.find((w) => w.id === trimmed)?.root_path;
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
