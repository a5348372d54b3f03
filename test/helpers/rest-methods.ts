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
/** The OAuth `RestClient` methods `oauth-remote.test.ts` calls against oidc-provider (`rest-client.test.ts` leaves them to it). */
export const OAUTH_METHODS = ['oauthAuthorize', 'oauthStatus', 'downstreamOAuthStatus', 'connectDownstream'];
