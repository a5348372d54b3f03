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

/** The `RestClient` methods `mcp-install-api.test.ts` calls (mcp-install, issue 20). */
export const INSTALL_METHODS = ['installStatus', 'installPreview', 'installClient', 'uninstallClient'];
/** The `RestClient` methods `import-clients-end-to-end.test.ts` calls (the import of a client's servers), each answer checked against its schema there. */
export const IMPORT_METHODS = ['importableServers', 'importServers'];
/** The OAuth `RestClient` methods `oauth-remote.test.ts` calls against oidc-provider (`rest-client.test.ts` leaves them to it). */
export const OAUTH_METHODS = ['oauthAuthorize', 'oauthStatus', 'downstreamOAuthStatus', 'connectDownstream'];
