import { notFound } from '../errors.js';
import { compileConfig, type CompiledConfig, type RoutingConfig } from './compile.js';
import { decide } from './decide.js';
import { explain } from './explain.js';
import { LruCache, type CacheStats } from './lru.js';
import { dirWithin, normaliseDir, resolveChain, type WorkspaceChain } from './resolve-chain.js';
import { folderSet, isFolderSet, strictest, type FolderSet } from './strictest.js';
import { eitherSpelling, namespacedSpelling } from './tool-spellings.js';
import type { DecideOptions, Decision, Explanation } from './types.js';

export interface RouterOptions extends RoutingConfig {
  /** Decisions kept, keyed by (chain, tool, owner, read-only); default 10,000. */
  readonly decisionCacheSize?: number;
  /** Chains kept, keyed by directory; default 1,000. */
  readonly chainCacheSize?: number;
}

/**
 * A chain, the client directory to resolve one from (undefined: no directory, just `global`), or
 * the folders of a multi-root window (decided by the strictest of their chains).
 */
export type ChainTarget = WorkspaceChain | FolderSet | string | undefined;

/** The routing decisions of one config. A config change builds a new router; nothing here goes stale. */
export interface Router {
  /** The chain for a client directory (cached per directory). */
  chainFor(dir: string | undefined): WorkspaceChain;
  /**
   * The chain a dry-run of `subpath` inside a workspace uses: the chain of the directory
   * `root/subpath`, exactly as a real call from there (a workspace nested at that subpath comes
   * first). Throws `not_found` for an unknown workspace.
   */
  chainForWorkspace(workspaceId: string, subpath?: string): WorkspaceChain;
  /** Routes one call; answers from the decision cache when it can (a folder set: the strictest of its folders'). */
  decide(target: ChainTarget, toolName: string, options?: DecideOptions): Decision;
  /**
   * Dry-run: the same decision, with the chain and every candidate rule. Never cached. For a
   * folder set: the explanation of the folder whose decision is the strictest.
   */
  explain(target: ChainTarget, toolName: string, options?: DecideOptions): Explanation;
  /**
   * The spellings a directory is decided by: itself (normalised) and, when a symbolic link is on
   * its way, its real path (read through `realPath` at most once a second per directory).
   */
  spellings(dir: string): readonly string[];
  /** Decision cache counters. */
  cacheStats(): CacheStats;
  /** Empties the decision and chain caches (counters keep running). */
  flush(): void;
}

/**
 * How long a directory's real path is trusted (ms): a link re-pointed meanwhile is routed by its
 * new target from then on, and a call costs no system call (one a second per directory at most).
 */
const REAL_PATH_TTL_MS = 1_000;
const DEFAULT_DECISION_CACHE = 10_000;
const DEFAULT_CHAIN_CACHE = 1_000;
const NO_DIR = '\u0000';

/** Precompiles a config once (sorted rules, compiled matchers, server maps) into a router. */
export function compileRouter(options: RouterOptions): Router {
  const compiled: CompiledConfig = compileConfig(options);
  const decisions = new LruCache<Decision>(options.decisionCacheSize ?? DEFAULT_DECISION_CACHE);
  const chains = new LruCache<WorkspaceChain>(options.chainCacheSize ?? DEFAULT_CHAIN_CACHE);
  // Chains made by this router; a chain from an older router is re-resolved from its directory.
  const ownChains = new WeakSet<WorkspaceChain>();

  function chainFor(dir: string | undefined): WorkspaceChain {
    const normalised = normaliseDir(dir);
    const key = normalised ?? NO_DIR;
    const cached = chains.get(key);
    if (cached) return cached;
    const chain = resolveChain(compiled.workspaces, normalised, compiled.realRoots);
    ownChains.add(chain);
    chains.set(key, chain);
    return chain;
  }

  const reals = new LruCache<{ real: string | undefined; at: number }>(options.chainCacheSize ?? DEFAULT_CHAIN_CACHE);
  /** A directory's real path when it differs from the directory (normalised), else undefined. */
  function realOf(dir: string): string | undefined {
    if (!options.realPath) return undefined;
    const now = Date.now();
    const known = reals.get(dir);
    if (known && now - known.at < REAL_PATH_TTL_MS) return known.real;
    // On a miss only: the calls' directory strings are kept as the session has them (normalised here).
    const real = normaliseDir(options.realPath(dir));
    const differs = real !== undefined && real !== normaliseDir(dir) ? real : undefined;
    reals.set(dir, { real: differs, at: now });
    return differs;
  }

  function spellings(dir: string): readonly string[] {
    const normalised = normaliseDir(dir) ?? dir;
    const real = realOf(normalised);
    return real === undefined ? [normalised] : [normalised, real];
  }

  /**
   * The target a decision is made for: a directory reached through a symbolic link is decided by
   * both of its spellings, strictest wins (a link inside a workspace to its denied `secret/`, or
   * from one workspace into another, lifts no deny rule); the same for each folder of a set.
   */
  function bySpellings(target: ChainTarget): ChainTarget {
    if (isFolderSet(target)) {
      if (!target.dirs.some((dir) => realOf(dir) !== undefined)) return target;
      return folderSet(target.dirs.flatMap((dir) => spellings(dir)));
    }
    const dir = typeof target === 'object' ? target.dir : target;
    const real = dir === undefined ? undefined : realOf(dir);
    return real === undefined ? target : folderSet([dir!, real]);
  }

  function toChain(target: WorkspaceChain | string | undefined): WorkspaceChain {
    if (typeof target === 'object') return ownChains.has(target) ? target : chainFor(target.dir);
    return chainFor(target);
  }

  /** The strictest of each folder's decision (strictest.ts); every one made by the one `decide()`. */
  function decideFolders(folders: FolderSet, toolName: string, decideOptions?: DecideOptions): Decision {
    return strictest(folders.dirs.map((dir) => decide(compiled, chainFor(dir), toolName, decideOptions)));
  }

  return {
    chainFor,
    chainForWorkspace(workspaceId, subpath) {
      const workspace = compiled.workspacesById.get(workspaceId);
      if (!workspace) throw notFound('workspace', workspaceId);
      return chainFor(dirWithin(workspace, subpath));
    },
    decide(given, toolName, decideOptions) {
      const target = bySpellings(given);
      const chain = isFolderSet(target) ? undefined : toChain(target);
      const key = `${chain?.key ?? (target as FolderSet).key}\u0000${toolName}\u0000${decideOptions?.owner?.id ?? ''}\u0000${decideOptions?.readOnly === true ? 'r' : 'w'}`;
      const cached = decisions.get(key);
      if (cached) return cached;
      const decideName = (name: string) => (chain ? decide(compiled, chain, name, decideOptions) : decideFolders(target as FolderSet, name, decideOptions));
      const alias = namespacedSpelling(toolName, decideOptions?.owner);
      const decision = alias === undefined ? decideName(toolName) : eitherSpelling(decideName(toolName), decideName(alias));
      decisions.set(key, decision);
      return decision;
    },
    explain(given, toolName, decideOptions) {
      const target = bySpellings(given);
      const explainName = (name: string): Explanation => {
        if (!isFolderSet(target)) return explain(compiled, toChain(target), name, decideOptions);
        // The explanation of the folder whose decision is the strictest (the one a call gets).
        return strictest(target.dirs.map((dir) => explain(compiled, chainFor(dir), name, decideOptions)));
      };
      const alias = namespacedSpelling(toolName, decideOptions?.owner);
      return alias === undefined ? explainName(toolName) : eitherSpelling(explainName(toolName), explainName(alias));
    },
    spellings,
    cacheStats: () => decisions.stats(),
    flush() {
      decisions.clear();
      chains.clear();
      reals.clear();
    },
  };
}
