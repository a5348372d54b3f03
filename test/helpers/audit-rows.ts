import type { AuditRow } from '../../src/gateway/audit/row.js';

/**
 * An audit row for the store's tests: a successful `tools/call` at second `id` of 2026, with every
 * nullable field null; `over` sets what a test filters on (session, workspace, tool, status…).
 */
export function auditRow(id: number, over: Partial<AuditRow> = {}): AuditRow {
  return {
    id,
    method: 'tools/call',
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
    session_id: 's0',
    client_type: 'test',
    model: null,
    workspace_id: 'w0',
    workspace_name: 'W',
    subpath: null,
    tool_name: 'fs__read_file',
    params_redacted: null,
    route_rule_id: null,
    downstream_server_id: null,
    downstream_instance_id: null,
    auth_scope_id: null,
    status: 'success',
    error_code: null,
    error_message: null,
    latency_ms: 1,
    response_size: 1,
    cache_hit: 0,
    created_at: new Date().toISOString(),
    approval_id: null,
    ...over,
  };
}
