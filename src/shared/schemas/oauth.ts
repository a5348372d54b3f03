import { z } from 'zod';
import { entityMeta, idSchema, nameSchema } from './common.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const scopeList = z.array(z.string().trim().min(1, 'a scope must not be empty').max(200)).max(100, 'must hold at most 100 scopes');
const extraParams = z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a query parameter name'), z.string().max(2000));

/**
 * An OAuth provider as stored: `client_secret` is an encrypted envelope from `secrets/` (never
 * clear text), and never answered (responses carry `has_client_secret`). `issuer`,
 * `registration_url` and `resource` are set by auto-discovery (MCP authorization).
 */
export const oauthProviderSchema = z.object({
  ...entityMeta,
  name: z.string(),
  template_id: z.string().optional(),
  auth_url: z.string(),
  token_url: z.string(),
  client_id: z.string(),
  client_secret: z.string().optional(),
  scopes: z.array(z.string()),
  use_pkce: z.boolean(),
  extra_params: z.record(z.string(), z.string()),
  userinfo_url: z.string().optional(),
  revocation_url: z.string().optional(),
  registration_url: z.string().optional(),
  issuer: z.string().optional(),
  /** The RFC 8707 resource indicator of the MCP server this provider was discovered for. */
  resource: z.string().optional(),
});
export type OAuthProvider = z.infer<typeof oauthProviderSchema>;

/** A provider as answered: the secret replaced by `has_client_secret`. */
export const oauthProviderViewSchema = oauthProviderSchema.omit({ client_secret: true }).extend({ has_client_secret: z.boolean() });
export type OAuthProviderView = z.infer<typeof oauthProviderViewSchema>;

/** POST /oauth-providers. `authorize_url` is the original's name of `auth_url` (either is accepted). */
export const oauthProviderCreateSchema = z
  .strictObject({
    id: idSchema.optional(),
    name: nameSchema,
    template_id: z.string().min(1).optional(),
    auth_url: httpUrl.optional(),
    authorize_url: httpUrl.optional(),
    token_url: httpUrl.optional(),
    client_id: z.string().max(500).default(''),
    client_secret: z.string().max(2000).optional(),
    scopes: scopeList.optional(),
    use_pkce: z.boolean().optional(),
    extra_params: extraParams.default({}),
    userinfo_url: httpUrl.optional(),
    revocation_url: httpUrl.optional(),
  })
  .transform(({ authorize_url, ...rest }) => ({ ...rest, auth_url: rest.auth_url ?? authorize_url }));
export type OAuthProviderCreate = z.infer<typeof oauthProviderCreateSchema>;

/** PUT /oauth-providers/{id}: a partial update; an empty or absent `client_secret` keeps the stored one. */
export const oauthProviderUpdateSchema = z
  .strictObject({
    name: nameSchema.optional(),
    auth_url: httpUrl.optional(),
    authorize_url: httpUrl.optional(),
    token_url: httpUrl.optional(),
    client_id: z.string().max(500).optional(),
    client_secret: z.string().max(2000).optional(),
    scopes: scopeList.optional(),
    use_pkce: z.boolean().optional(),
    extra_params: extraParams.optional(),
    userinfo_url: httpUrl.nullable().optional(),
    revocation_url: httpUrl.nullable().optional(),
  })
  .transform(({ authorize_url, ...rest }) => ({ ...rest, auth_url: rest.auth_url ?? authorize_url }));
export type OAuthProviderUpdate = z.infer<typeof oauthProviderUpdateSchema>;

/** One built-in template (GET /oauth-templates), `callback_url` filled per request. */
export const oauthTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  authorize_url: z.string(),
  token_url: z.string(),
  scopes: z.array(z.string()),
  use_pkce: z.boolean(),
  needs_secret: z.boolean(),
  supports_auto_discovery: z.boolean(),
  setup_url: z.string(),
  help_text: z.string(),
  callback_url: z.string(),
});
export type OAuthTemplate = z.infer<typeof oauthTemplateSchema>;

/** POST /oauth-providers/discover. */
export const oauthDiscoverRequestSchema = z.strictObject({ issuer_url: httpUrl });
export const oauthDiscoverResultSchema = z.object({
  authorize_url: z.string(),
  token_url: z.string(),
  scopes: z.array(z.string()),
  use_pkce: z.boolean(),
  issuer: z.string(),
  userinfo_url: z.string().optional(),
  registration_url: z.string().optional(),
  revocation_url: z.string().optional(),
});
export type OAuthDiscoverResult = z.infer<typeof oauthDiscoverResultSchema>;

/** GET /auth-scopes/{id}/oauth/status. `error` says why a scope is `expired` (a failed refresh or exchange). */
export const oauthStatusSchema = z.object({
  status: z.enum(['valid', 'expired', 'refresh_needed', 'refreshing', 'not_configured']),
  expires_at: z.string().optional(),
  scopes: z.array(z.string()),
  error: z.string().optional(),
});
export type OAuthStatus = z.infer<typeof oauthStatusSchema>;

/** POST /auth-scopes/oauth-quick-setup (the reference's body, plus an optional `name`). */
export const oauthQuickSetupSchema = z.strictObject({
  provider_template: z.string().min(1, 'must name a template (GET /api/v1/oauth-templates)'),
  client_id: z.string().min(1, 'must not be empty: the client id of your OAuth app').max(500),
  client_secret: z.string().max(2000).optional(),
  server_id: z.string().min(1).optional(),
  name: nameSchema.optional(),
  token_env_var: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
});

/** POST /downstreams/{id}/oauth-setup. */
export const oauthSetupSchema = z.strictObject({ auth_scope_name: nameSchema.optional() });

/** POST /downstreams/{id}/connect. */
export const oauthConnectSchema = z.strictObject({
  workspace_id: z.string().min(1).optional(),
  client_id: z.string().min(1).max(500).optional(),
  client_secret: z.string().max(2000).optional(),
  scope_name: nameSchema.optional(),
  account_label: z.string().trim().max(100).optional(),
});
export type OAuthConnectInput = z.input<typeof oauthConnectSchema>;
