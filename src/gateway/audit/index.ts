// The audit trail and the SQLite approval store on `audit.db`. The engine underneath (SQLite in
// WebAssembly, Kysely: open.ts, sqlite-store.ts, approval-store-sqlite.ts) is reached only through
// `openAudit` / `openAuditInBackground`, which load it on first use: nothing here imports it
// eagerly, so a gateway listens before it has compiled it (see README, "Opening").
export type { ApprovalResolution, ApprovalRow, SqliteApprovalStore } from './approval-store-sqlite.js';
export type { AuditOptions, AuditPage, AuditTrail } from './open.js';
export { openAudit, openAuditInBackground, type OpeningAuditTrail } from './opening.js';
export {
  AUDIT_FILTER_PARAMS,
  AUDIT_LIST_PARAMS,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  parseAuditQuery,
  parseAuditStreamQuery,
  parseLastEventId,
  type AuditQuery,
} from './query.js';
export { ArgumentRedactor, keyWords, REDACTED, redactArguments, SECRET_KEY_WORDS, type RedactionContext } from './redact.js';
export { pruneAudit, type RetentionSettings } from './retention.js';
export type { AuditCallFields, AuditRecordView, AuditRow, NameLookup, RedactionFor } from './row.js';
export { auditMigrations, type AuditDatabase } from './schema.js';
export type { SqliteAuditStore } from './sqlite-store.js';
export type { AuditFilter, AuditStore } from './store.js';
export { HEARTBEAT_MS, MAX_BEHIND, type StreamTarget } from './stream.js';
export { configNames, scopeRedaction, serverSecretValues } from './config-lookups.js';
export { secretTextMasker, type SecretTextMasker } from './secret-text.js';
