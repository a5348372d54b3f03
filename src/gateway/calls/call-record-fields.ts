import { isoTime } from '../../shared/iso-time.js';
import { normaliseDir, subpathWithin } from '../routing/index.js';
import { redactShapes } from '../redaction/index.js';
import type { CallRecordFields } from '../../shared/call-fields.js';
import type { CallRecord } from './call-record.js';

export type { CallRecordFields } from '../../shared/call-fields.js';

/**
 * Flattens a settled record. Meant for consumers off the hot path (an audit batch flush): it
 * serialises the result to measure it, which the call itself never does.
 *
 * @param record a record the pipeline's `record` step has settled (not modified)
 */
export function callRecordFields(record: CallRecord): CallRecordFields {
  const decision = record.decision;
  const workspace = decision?.workspace;
  const server = decision?.server ?? record.server;
  return {
    method: record.method,
    timestamp: isoTime(record.startedAt),
    session_id: record.sessionId,
    client_type: record.clientName ?? null,
    model: record.model ?? null,
    workspace_id: workspace?.id ?? null,
    workspace_name: workspace?.name ?? null,
    subpath: workspace && record.dir !== undefined ? subpathWithin(normaliseDir(workspace.root_path) ?? '/', normaliseDir(record.dir)) : null,
    tool_name: record.name,
    route_rule_id: decision?.rule?.id ?? null,
    downstream_server_id: server?.id ?? null,
    downstream_instance_id: record.instanceId ?? null,
    auth_scope_id: decision?.auth_scope_id ?? null,
    status: record.status,
    error_code: record.errorCode ?? null,
    error_message: record.errorMessage ?? null,
    latency_ms: Math.round(record.latencyMs * 1000) / 1000,
    response_size: record.result === undefined ? 0 : Buffer.byteLength(JSON.stringify(record.result)),
    cache_hit: record.cacheHit,
    args: record.args,
    approval_id: record.approvalId ?? null,
  };
}

/**
 * A settled call as the dashboard keeps it (recent calls, metrics.json): without the arguments,
 * which only the audit trail stores (redacted), and with the secrets masked in the texts the audit
 * trail masks too (tool name or resource URI, client name, model, error message).
 *
 * @param mask masks a text's secrets for the call's auth scope (audit's `secretTextMasker`); by
 *   default, secrets of a known shape only
 */
export function dashboardRecordFields(
  record: CallRecord,
  mask: (text: string, scopeId: string | null) => string = redactShapes,
): Omit<CallRecordFields, 'args'> {
  const { args: _args, ...fields } = callRecordFields(record);
  const scope = fields.auth_scope_id;
  const masked = (text: string | null) => (text === null ? null : mask(text, scope));
  return {
    ...fields,
    tool_name: mask(fields.tool_name, scope),
    client_type: masked(fields.client_type),
    model: masked(fields.model),
    error_message: masked(fields.error_message),
  };
}
