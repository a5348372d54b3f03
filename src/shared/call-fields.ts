/**
 * A settled call as the pipeline describes it to the audit trail and the dashboard (issue 17's
 * vocabulary, snake_case): one definition for `calls/` that builds it and `audit/` that stores it.
 */
/** The client requests that go through the pipeline (README "Why resources, prompts and completion go through it"). */
export type CallMethod = 'tools/call' | 'resources/read' | 'prompts/get' | 'completion/complete';

/**
 * How a call settled (issue 17's audit vocabulary): `blocked` when the gateway stopped it on a
 * policy before the downstream (deny, default deny, approval), `error` for every other failure
 * (an unknown tool, a downstream error, a timeout, a cancellation, a result with `isError: true`),
 * `success` otherwise.
 */
export type CallStatus = 'success' | 'error' | 'blocked';

/**
 * A settled call in issue 17's audit vocabulary (snake_case, as the audit store and
 * `GET /audit` name them). What the audit store adds itself: `id`, `created_at` and
 * `params_redacted` (it redacts `args`).
 */
export interface CallRecordFields {
  method: CallMethod;
  /** RFC 3339, when the call entered the pipeline. */
  timestamp: string;
  session_id: string;
  client_type: string | null;
  /** The model the client declared (`_meta["mcplexer/model"]`, else `X-MCPlexer-Model`); null when it declared none. */
  model: string | null;
  /** The deciding rule's workspace (default policy: the most specific one); null when routing never ran. */
  workspace_id: string | null;
  workspace_name: string | null;
  /** The client's directory relative to that workspace's root (`""` at the root); null without a directory. */
  subpath: string | null;
  /** The full name routed (see `CallRecord.name`). */
  tool_name: string;
  route_rule_id: string | null;
  downstream_server_id: string | null;
  /** The pool instance that served the call (its health entry's `instance_id`); null for a cache hit, a built-in, a refusal. */
  downstream_instance_id: string | null;
  auth_scope_id: string | null;
  status: CallStatus;
  error_code: string | null;
  error_message: string | null;
  /** ms, to the µs (most calls through the gateway take well under 1 ms). */
  latency_ms: number;
  /** Bytes of the result's JSON (UTF-8); 0 without a result. */
  response_size: number;
  cache_hit: boolean;
  /** The forwarded arguments, a reference, NOT redacted: the audit trail redacts them into `params_redacted`. */
  args: Record<string, unknown> | undefined;
  approval_id: string | null;
}
