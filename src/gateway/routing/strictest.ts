import type { Decision } from './types.js';
import { normaliseDir } from './resolve-chain.js';

/**
 * Several client directories decided together: a multi-root editor window, whose calls name no
 * folder. Built once per session (when its `X-MCPlexer-Workspace` header changes), never per call;
 * `key` is what the router's decision cache is keyed by, so a call costs one cache lookup as a
 * single directory does.
 */
export interface FolderSet {
  /** Normalised, without repeats, in the order given. */
  readonly dirs: readonly string[];
  readonly key: string;
}

/** The folders as a set to decide with (`dirs` normalised, repeats dropped; at least one). */
export function folderSet(dirs: readonly string[]): FolderSet {
  const unique = [...new Set(dirs.map((dir) => normaliseDir(dir)).filter((dir): dir is string => dir !== undefined))];
  return { dirs: unique, key: `\u0001${unique.join('\u0000')}` };
}

export function isFolderSet(target: unknown): target is FolderSet {
  return typeof target === 'object' && target !== null && 'dirs' in target;
}

/**
 * How strict a decision is, lowest first: a deny rule, a default deny, an unknown tool, a call that
 * needs approval, an `approve` rule that lets this (read-only) call through unasked, an allow.
 */
function strictness(decision: Decision): number {
  switch (decision.error_code) {
    case 'denied':
      return 0;
    case 'no_route':
      return 1;
    case 'unknown_tool':
      return 2;
    default:
      if (decision.approval_required) return 3;
      return decision.policy === 'approve' ? 4 : 5;
  }
}

/**
 * The strictest of the decisions of each folder of a window (each made by the one `decide()`):
 * a tool is allowed only where every folder's chain allows it; approval beats allow, deny beats
 * both. Among equally strict ones the first folder's wins (its rule, server and auth scope).
 * @param decisions one per folder, in the folders' order; at least one
 */
export function strictest<D extends Decision>(decisions: readonly D[]): D {
  let chosen = decisions[0]!;
  let rank = strictness(chosen);
  for (let i = 1; i < decisions.length && rank > 0; i += 1) {
    const next = strictness(decisions[i]!);
    if (next < rank) {
      chosen = decisions[i]!;
      rank = next;
    }
  }
  return chosen;
}
