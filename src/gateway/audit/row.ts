import type { CallRecordFields } from '../../shared/call-fields.js';
import type { AuditRecordsTable } from './schema.js';
import { ArgumentRedactor, type RedactionContext } from './redact.js';

/**
 * A settled call as the audit trail takes it: `calls/`'s `CallRecordFields` (the one shared
 * definition; `args` unredacted, redacted when the row is built, off the call).
 */
export type AuditCallFields = CallRecordFields;

/** A stored row (what `audit_records` holds). */
export type AuditRow = AuditRecordsTable;

/**
 * An audit record as `GET /audit` and the stream answer it: the row with the id as an opaque
 * string, `params_redacted` as JSON, `cache_hit` as a boolean, and the names of the rule and the
 * server looked up in the current config (null once they are gone).
 */
export type AuditRecordView = Omit<AuditRow, 'id' | 'params_redacted' | 'cache_hit'> & {
  id: string;
  params_redacted: unknown;
  cache_hit: boolean;
  route_rule_summary: string | null;
  downstream_server_name: string | null;
};

/** How the trail learns the current names of a rule (its `path_glob`) and of a server. */
export interface NameLookup {
  ruleSummary(ruleId: string): string | null | undefined;
  serverName(serverId: string): string | null | undefined;
}

/** How the trail learns what marks a secret for a call made under an auth scope (null: none). */
export type RedactionFor = (authScopeId: string | null) => RedactionContext;

/**
 * The most of a call's redacted arguments a row keeps, in characters of their JSON text. Past it
 * the row keeps `{"_truncated": true, "length": <characters>, "preview": "<the first 4,096>"}`
 * (still JSON): a call may carry up to the 4 MiB message limit, and a trail of such rows made every
 * page of GET /audit megabytes long (a new user's trial: one 3 MiB argument, a 3.1 MB page).
 */
export const MAX_PARAMS_CHARS = 64 * 1024;
const PARAMS_PREVIEW_CHARS = 4096;
/** The most of an error message a row keeps (characters); the rest is replaced by a note of its length. */
export const MAX_ERROR_CHARS = 4096;

function boundedParams(text: string): string {
  if (text.length <= MAX_PARAMS_CHARS) return text;
  return JSON.stringify({ _truncated: true, length: text.length, preview: text.slice(0, PARAMS_PREVIEW_CHARS) });
}

function boundedError(text: string): string {
  return text.length <= MAX_ERROR_CHARS ? text : `${text.slice(0, MAX_ERROR_CHARS)}… (${text.length} characters in all; the rest is not kept)`;
}

/**
 * Builds the stored row: arguments redacted (keys by word, values by shape, the scope's hints and
 * literal values) and bounded (`MAX_PARAMS_CHARS`), the error message's secrets hidden and bounded
 * (`MAX_ERROR_CHARS`), and the secret spans of the texts a client chose hidden too: the tool name
 * (a resource URI's password or `?access_token=`), the client's name and the model.
 *
 * @param id the trail's next monotonic id
 * @param createdAt RFC 3339, when the row was built
 */
export function buildRow(fields: AuditCallFields, id: number, createdAt: string, redactor: ArgumentRedactor): AuditRow {
  return {
    id,
    method: fields.method,
    timestamp: fields.timestamp,
    session_id: fields.session_id,
    client_type: fields.client_type === null ? null : redactor.redactText(fields.client_type),
    model: fields.model === null ? null : redactor.redactText(fields.model),
    workspace_id: fields.workspace_id,
    workspace_name: fields.workspace_name,
    subpath: fields.subpath,
    tool_name: redactor.redactText(fields.tool_name),
    params_redacted: fields.args === undefined ? null : boundedParams(JSON.stringify(redactor.redact(fields.args))),
    route_rule_id: fields.route_rule_id,
    downstream_server_id: fields.downstream_server_id,
    downstream_instance_id: fields.downstream_instance_id,
    auth_scope_id: fields.auth_scope_id,
    status: fields.status,
    error_code: fields.error_code,
    error_message: fields.error_message === null ? null : boundedError(redactor.redactText(fields.error_message)),
    latency_ms: fields.latency_ms,
    response_size: fields.response_size,
    cache_hit: fields.cache_hit ? 1 : 0,
    created_at: createdAt,
    approval_id: fields.approval_id ?? null,
  };
}

/** The record as the API shows it. */
export function presentRow(row: AuditRow, names: NameLookup): AuditRecordView {
  return {
    ...row,
    id: String(row.id),
    params_redacted: row.params_redacted === null ? null : JSON.parse(row.params_redacted),
    cache_hit: Boolean(row.cache_hit),
    route_rule_summary: row.route_rule_id === null ? null : (names.ruleSummary(row.route_rule_id) ?? null),
    downstream_server_name: row.downstream_server_id === null ? null : (names.serverName(row.downstream_server_id) ?? null),
  };
}
