import { z } from 'zod';
import { authScopeSchema } from './auth-scope.js';
import { downstreamSchema } from './downstream.js';
import { oauthProviderViewSchema } from './oauth.js';
import { routeSchema } from './route.js';
import { settingSourceSchema, settingsSchema } from './settings.js';
import { workspaceSchema } from './workspace.js';

/** One field a refusal names: its dotted JSON path and what is wrong with it. */
export const errorDetailSchema = z.object({ path: z.string(), message: z.string() });
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

/** Every error answer of /api/v1: `{"error": {code, message, details}}` (ARCHITECTURE.md §3). */
export const apiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(errorDetailSchema) }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** Something accepted but probably not what the user meant (the write happened). */
export const warningSchema = errorDetailSchema;
export type Warning = z.infer<typeof warningSchema>;

/** A workspace as create and update answer it: plus `warnings` (e.g. a `root_path` missing on this machine). */
export const workspaceViewSchema = workspaceSchema.extend({ warnings: z.array(warningSchema).optional() });
export type WorkspaceView = z.infer<typeof workspaceViewSchema>;

/** A route rule as answered: one pattern as a string, several as an array. */
export const routeViewSchema = routeSchema;

/** An auth scope as answered: every `env_vars` value masked (`********`), never the secret. */
export const authScopeViewSchema = authScopeSchema.omit({ oauth_token: true }).extend({ has_secrets: z.boolean() });
export type AuthScopeView = z.infer<typeof authScopeViewSchema>;

/** `POST /downstreams/{id}/discover`: the stored server with what discovery found. */
export const discoverResultSchema = downstreamSchema;
export type DiscoverResult = z.infer<typeof discoverResultSchema>;

/** `GET /auth-scopes/{id}/oauth/authorize`: a fresh authorize URL (single use, 10 minutes). */
export const oauthAuthorizeAnswerSchema = z.object({ authorize_url: z.string() });

/** `GET /downstreams/{id}/oauth-status`: one entry per route of the server with a scope. */
export const downstreamOAuthStatusSchema = z.object({
  entries: z.array(
    z.object({
      auth_scope_id: z.string(),
      auth_scope_name: z.string(),
      status: z.enum(['authenticated', 'expired', 'not_configured']),
      expires_at: z.string().optional(),
      workspace_id: z.string(),
      route_rule_id: z.string(),
    }),
  ),
});
export type DownstreamOAuthStatus = z.infer<typeof downstreamOAuthStatusSchema>;

/** `POST /downstreams/{id}/connect`: `authorize_url` null when the scope already holds a valid token. */
export const oauthConnectAnswerSchema = z.object({
  auth_scope: authScopeSchema.omit({ oauth_token: true }).extend({ has_secrets: z.boolean() }),
  provider: oauthProviderViewSchema,
  route_rule: routeSchema,
  authorize_url: z.string().nullable(),
});
export type OAuthConnectAnswer = z.infer<typeof oauthConnectAnswerSchema>;

/** `GET /auth-scopes/{id}/secrets`: the names of the stored values, never the values. */
export const secretKeysSchema = z.object({ keys: z.array(z.string()) });
export type SecretKeys = z.infer<typeof secretKeysSchema>;

/** `PUT /auth-scopes/{id}/secrets`. */
export const statusOkSchema = z.object({ status: z.literal('ok') });
export type StatusOk = z.infer<typeof statusOkSchema>;

/** `GET|PUT /settings`: the effective settings, where each came from, and the built-in tools' default descriptions. */
export const settingsViewSchema = z.object({
  settings: settingsSchema,
  builtin_tool_defaults: z.record(z.string(), z.string()),
  sources: z.record(z.enum(Object.keys(settingsSchema.shape) as [keyof typeof settingsSchema.shape]), settingSourceSchema),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/** `POST /shutdown` (202): the gateway stops after answering and then releases its lock. */
export const shutdownResultSchema = z.object({ status: z.literal('stopping'), pid: z.number().int() });
export type ShutdownResult = z.infer<typeof shutdownResultSchema>;
