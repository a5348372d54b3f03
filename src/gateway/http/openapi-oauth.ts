import type { z } from 'zod';
import {
  oauthConnectSchema,
  oauthDiscoverRequestSchema,
  oauthProviderCreateSchema,
  oauthProviderUpdateSchema,
  oauthQuickSetupSchema,
  oauthSetupSchema,
} from '../../shared/schemas/index.js';

/** The OAuth schemas in openapi.json's components. */
export const oauthSchemas: Record<string, z.ZodType> = {
  OAuthProviderCreate: oauthProviderCreateSchema,
  OAuthProviderUpdate: oauthProviderUpdateSchema,
  OAuthDiscover: oauthDiscoverRequestSchema,
  OAuthQuickSetup: oauthQuickSetupSchema,
  OAuthSetup: oauthSetupSchema,
  OAuthConnect: oauthConnectSchema,
};

const body = (name: string, required = true) => ({ required, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } });
const ok = (description: string) => ({ description });
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];

/** The OAuth paths (http/routers/oauth.ts; docs/oauth.md). */
export function oauthPaths(): Record<string, object> {
  return {
    '/oauth-providers': {
      get: { summary: 'OAuth providers (client_secret never answered: has_client_secret)', responses: { 200: ok('array in creation order') } },
      post: {
        summary: 'Create a provider (template_id fills the endpoints)',
        requestBody: body('OAuthProviderCreate'),
        responses: { 201: ok('created'), 400: ok('invalid'), 409: ok('name taken') },
      },
    },
    '/oauth-providers/{id}': {
      parameters: id,
      get: { responses: { 200: ok('found'), 404: ok('unknown id') } },
      put: {
        summary: 'Partial update; an empty client_secret keeps the stored one',
        requestBody: body('OAuthProviderUpdate'),
        responses: { 200: ok('updated'), 400: ok('invalid'), 404: ok('unknown id') },
      },
      delete: {
        parameters: [{ name: 'cascade', in: 'query', schema: { type: 'boolean' } }],
        responses: { 204: ok('deleted'), 409: ok('used by auth scopes') },
      },
    },
    '/oauth-providers/discover': {
      post: {
        summary: 'OIDC / RFC 8414 discovery (https; http only on loopback)',
        requestBody: body('OAuthDiscover'),
        responses: { 200: ok('endpoints'), 400: ok('not https'), 502: ok('unreachable or invalid') },
      },
    },
    '/oauth-templates': { get: { summary: 'Built-in provider templates, sorted by id, with callback_url', responses: { 200: ok('templates') } } },
    '/oauth/callback': {
      get: {
        summary: 'The provider redirects here (no API token): exchanges the code, answers an HTML page',
        security: [],
        parameters: ['state', 'code', 'error', 'error_description', 'iss'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: { 200: { description: 'text/html: connected' }, 400: { description: 'text/html: what failed' } },
      },
    },
    '/auth-scopes/oauth-quick-setup': {
      post: {
        summary: 'Provider from a template plus an oauth2 scope',
        requestBody: body('OAuthQuickSetup'),
        responses: { 201: ok('{auth_scope, provider, authorize_url}'), 400: ok('invalid'), 409: ok('name taken') },
      },
    },
    '/auth-scopes/{id}/oauth/authorize': {
      get: {
        parameters: [...id, { name: 'redirect', in: 'query', schema: { type: 'boolean' } }],
        responses: {
          200: ok('{authorize_url}'),
          302: ok('redirect=true'),
          400: ok('not oauth2, or the provider needs client credentials'),
          502: ok('discovery failed'),
        },
      },
    },
    '/auth-scopes/{id}/oauth/status': { get: { parameters: id, responses: { 200: ok('{status, expires_at?, scopes, error?}'), 404: ok('unknown id') } } },
    '/auth-scopes/{id}/oauth/revoke': { post: { parameters: id, responses: { 204: ok('revoked and forgotten') } } },
    '/downstreams/{id}/oauth-capabilities': {
      get: { parameters: id, responses: { 200: ok('{has_template, template?, supports_auto_discovery, needs_credentials}') } },
    },
    '/downstreams/{id}/oauth-setup': {
      post: {
        parameters: id,
        requestBody: body('OAuthSetup', false),
        responses: { 200: ok('{auth_scope, provider, authorize_url}'), 400: ok('not an HTTP server'), 502: ok('no dynamic registration') },
      },
    },
    '/downstreams/{id}/oauth-status': { get: { parameters: id, responses: { 200: ok('{entries}') } } },
    '/downstreams/{id}/connect': {
      post: {
        parameters: id,
        requestBody: body('OAuthConnect', false),
        responses: { 200: ok('{auth_scope, provider, route_rule, authorize_url (null when connected)}'), 400: ok('requires client credentials') },
      },
    },
  };
}
