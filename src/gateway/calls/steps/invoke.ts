import { BUILTIN_SERVER_ID } from '../../config/index.js';
import { callBuiltinTool, type BuiltinServices } from '../builtin-tools.js';
import type { CallRecord } from '../call-record.js';
import type { DownstreamPort, RelayHooks } from '../downstream-port.js';
import type { RuntimeConfig } from '../runtime-config.js';
import type { SessionView } from '../session-view.js';

type Result = Record<string, unknown>;

/**
 * Step 5 for tools/call: a built-in `mcpx` tool is answered here (with the gateway's services:
 * the cache for `mcpx__flush_cache`, the approvals for the approval tools); any other goes to the decided
 * server under the decided auth scope, with the client's relay hooks and the call's timeout
 * (`call_timeout_sec` of the server, else the setting; s → `hooks.timeoutMs`; the client's time
 * is not counted: `hooks.clientWaitMs`). Sets
 * `record.invoked` first: what fails from here on is an `error`, never `blocked`.
 *
 * @throws GatewayError what the built-in throws (`invalid_params`, `unknown_tool`) or the pool
 *   (`downstream_error` with the downstream's own JSON-RPC error as `cause`, `downstream_unavailable`,
 *   `server_disabled`, `timeout`, `cancelled`)
 */
export function invokeTool(
  config: RuntimeConfig,
  services: BuiltinServices & { downstream: DownstreamPort },
  session: SessionView,
  record: CallRecord,
  meta: Record<string, unknown> | undefined,
  hooks: RelayHooks,
): Promise<Result> | Result {
  record.invoked = true;
  const server = record.server!;
  if (server.id === BUILTIN_SERVER_ID) return callBuiltinTool(record.name, record.args, config, session, services);
  hooks.timeoutMs = timeoutMs(config, record);
  hooks.clientWaitMs = clientWaitMs(config);
  const name = record.downstreamName!;
  const params = meta === undefined ? { name, arguments: record.args } : { name, arguments: record.args, _meta: meta };
  const result = services.downstream.callTool(record.decision?.server ?? server, record.decision?.auth_scope_id ?? null, params, hooks);
  // The pool names the instance it handed the call to before it returns (a cache hit never gets here).
  record.instanceId = hooks.instanceId;
  return result;
}

/**
 * Step 5 for resources/read, prompts/get and completion/complete: the request goes to the decided
 * server under the decided auth scope, as a tool call would.
 *
 * @throws GatewayError as `invokeTool`'s downstream branch
 */
export function invokeRequest(
  config: RuntimeConfig,
  downstream: DownstreamPort,
  record: CallRecord,
  params: Record<string, unknown>,
  hooks: RelayHooks,
): Promise<Result> {
  record.invoked = true;
  hooks.timeoutMs = timeoutMs(config, record);
  hooks.clientWaitMs = clientWaitMs(config);
  const result = downstream.request(record.decision?.server ?? record.server!, record.decision?.auth_scope_id ?? null, record.method, params, hooks);
  record.instanceId = hooks.instanceId;
  return result;
}

/**
 * How long a server's question to the person (elicitation, sampling) may wait for the client, in
 * ms: the setting `approval_timeout_sec`, how long MCPlexer waits for a person anywhere. The call's
 * own timeout stops meanwhile (downstream/call-clock.ts).
 */
function clientWaitMs(config: RuntimeConfig): number {
  return config.settings.approval_timeout_sec * 1000;
}

function timeoutMs(config: RuntimeConfig, record: CallRecord): number {
  return (record.server!.call_timeout_sec ?? config.settings.call_timeout_sec) * 1000;
}
