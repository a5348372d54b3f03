import type { CompiledConfig } from './compile.js';
import { decide } from './decide.js';
import type { WorkspaceChain } from './resolve-chain.js';
import type { CandidateRule, DecideOptions, Explanation } from './types.js';

/**
 * Dry-run: the same `decide` a real call runs, plus the chain and every rule of it in
 * evaluation order with whether it matched and, if not, which check failed.
 */
export function explain(compiled: CompiledConfig, chain: WorkspaceChain, toolName: string, options?: DecideOptions): Explanation {
  const candidates: CandidateRule[] = [];
  const decision = decide(compiled, chain, toolName, options, candidates);
  return {
    ...decision,
    chain: chain.links.map((link) => ({ workspace_id: link.workspace.id, subpath: link.subpath })),
    candidate_rules: candidates,
  };
}
