/** The `RestClient` methods `rest-client-observability.test.ts` calls (`rest-client.test.ts` leaves them to it). */
export const OBSERVABILITY_METHODS = [
  'listAudit',
  'auditStream',
  'listApprovals',
  'getApproval',
  'resolveApproval',
  'approvalStream',
  'dashboard',
  'cacheStats',
  'flushCache',
];
