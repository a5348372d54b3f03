import type { DownstreamServer, RoutePolicy, RouteRule, Workspace } from '../config/index.js';
import type { RuleMismatch } from './compile.js';

/** What the caller knows about the tool beyond its name. */
export interface DecideOptions {
  /**
   * The server that owns the tool, when the caller's tool index knows it (needed for servers
   * with `expose_unprefixed`, whose tool names carry no namespace).
   */
  readonly owner?: DownstreamServer;
  /** `annotations.readOnlyHint === true` on the discovered tool; anything else counts as a write. */
  readonly readOnly?: boolean;
}

/** Why a decision cannot go ahead, as a `GatewayErrorCode`. */
export type DecisionErrorCode = 'denied' | 'no_route' | 'unknown_tool';

/**
 * The outcome of routing one tool call. Shared by real calls and dry-run; cached, so frozen.
 * `policy` is the deciding rule's (or the default policy); `approval_required` is what the
 * call pipeline acts on. `error_code` set means the call must not reach a downstream server.
 */
export interface Decision {
  readonly policy: RoutePolicy;
  /** True when a rule decided; false when a default policy did. */
  readonly matched: boolean;
  readonly rule?: RouteRule;
  /** The workspace whose rule decided, or the most specific one when a default policy decided. */
  readonly workspace: Workspace;
  /** The server the call goes to (allow/approve only). */
  readonly server?: DownstreamServer;
  readonly auth_scope_id?: string;
  readonly approval_required: boolean;
  /** The rule's own timeout when approval is required and it sets one (> 0); else the setting applies. */
  readonly approval_timeout_sec?: number;
  readonly reason: string;
  readonly error_code?: DecisionErrorCode;
}

/** One rule of the chain as dry-run reports it, in evaluation order. */
export interface CandidateRule {
  readonly rule: RouteRule;
  readonly workspace_id: string;
  /** The subpath the rule's `path_glob` was tested against. */
  readonly subpath: string;
  /** The rule matches on its own (path, tool and namespace guard all pass). */
  readonly matched: boolean;
  /** This rule took the decision; a matching rule after it was never reached in a real call. */
  readonly decided: boolean;
  /** The first check that failed. */
  readonly mismatch?: RuleMismatch;
  /** The same in words. */
  readonly note: string;
}

/** A decision with its trace: what dry-run answers. */
export interface Explanation extends Decision {
  readonly chain: ReadonlyArray<{ readonly workspace_id: string; readonly subpath: string }>;
  readonly candidate_rules: readonly CandidateRule[];
}
