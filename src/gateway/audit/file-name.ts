/** The audit trail's file in the data dir (approvals are kept there too). */
export const AUDIT_FILE = 'audit.db';
