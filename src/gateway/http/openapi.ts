import { z } from 'zod';
import {
  authScopeCreateSchema,
  authScopeUpdateSchema,
  downstreamCreateSchema,
  downstreamUpdateSchema,
  routeCreateSchema,
  routeUpdateSchema,
  secretWriteSchema,
  settingsUpdateSchema,
  workspaceCreateSchema,
  workspaceUpdateSchema,
  queryParameters,
} from '../config/index.js';

import { dryRunSchema, type OpenApiDocument } from '../../shared/api.js';
import { daemonPaths, daemonSchemas } from './openapi-daemon.js';
import { oauthPaths, oauthSchemas } from './openapi-oauth.js';
import { installPaths, installSchemas } from './openapi-install.js';
import { APPROVAL_LIST_PARAMS, approvalResolveSchema } from './routers/approvals.js';
import { DASHBOARD_PARAMS } from './routers/dashboard.js';
import { AUDIT_FILTER_PARAMS, AUDIT_LIST_PARAMS } from '../audit/index.js';
import { cacheFlushSchema } from './routers/cache.js';
import { PENDING_ENDPOINTS } from './routers/not-implemented.js';

declare const __MCPLEXER_VERSION__: string;

const schemas: Record<string, z.ZodType> = {
  WorkspaceCreate: workspaceCreateSchema,
  WorkspaceUpdate: workspaceUpdateSchema,
  DownstreamCreate: downstreamCreateSchema,
  DownstreamUpdate: downstreamUpdateSchema,
  RouteCreate: routeCreateSchema,
  RouteUpdate: routeUpdateSchema,
  AuthScopeCreate: authScopeCreateSchema,
  AuthScopeUpdate: authScopeUpdateSchema,
  SettingsUpdate: settingsUpdateSchema,
  SecretWrite: secretWriteSchema,
  DryRun: dryRunSchema,
  ApprovalResolve: approvalResolveSchema,
  ...daemonSchemas,
  ...oauthSchemas,
  ...installSchemas,
  CacheFlush: cacheFlushSchema,
};

const resources: Array<[path: string, create: string, update: string]> = [
  ['/workspaces', 'WorkspaceCreate', 'WorkspaceUpdate'],
  ['/downstreams', 'DownstreamCreate', 'DownstreamUpdate'],
  ['/routes', 'RouteCreate', 'RouteUpdate'],
  ['/auth-scopes', 'AuthScopeCreate', 'AuthScopeUpdate'],
];

const body = (name: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } });
const ok = (description: string) => ({ description });

let cached: OpenApiDocument | undefined;

/**
 * The endpoints that answer 501 until the capability is built: listed with only a 501 response,
 * `x-status: not-implemented`, and a description that says so, so that a client generated from
 * this document does not expect them to work.
 */
function addPending(paths: Record<string, object>): void {
  for (const [method, route, capability] of PENDING_ENDPOINTS) {
    const openApiPath = route.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters = [...openApiPath.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    paths[openApiPath] = {
      ...paths[openApiPath],
      [method]: {
        summary: `Not implemented yet: ${capability}`,
        description: `Reserved for ${capability}, which is not built yet in this version of MCPlexer: answers 501 with error code not_implemented.`,
        'x-status': 'not-implemented',
        ...(parameters.length ? { parameters } : {}),
        responses: { 501: { description: `${capability} is not built yet (error code not_implemented)` } },
      },
    };
  }
}

/** The Approvals section (http/routers/approvals.ts). */
function addApprovals(paths: Record<string, object>): void {
  const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
  paths['/approvals'] = {
    get: {
      summary: 'Pending approval requests, oldest first; with another status, the history, newest first',
      parameters: queryParameters(APPROVAL_LIST_PARAMS),
      responses: { 200: ok('array of approval records'), 400: ok('invalid query parameter (named): unknown, repeated, or of the wrong form') },
    },
  };
  paths['/approvals/stream'] = {
    get: {
      summary: 'SSE: event approval.requested | approval.resolved, data {"type":"pending"|"resolved","approval"}; heartbeat every 15 s',
      responses: { 200: { description: 'text/event-stream' } },
    },
  };
  paths['/approvals/{id}'] = { get: { parameters: id, responses: { 200: ok('the approval record'), 404: ok('unknown id') } } };
  paths['/approvals/{id}/resolve'] = {
    post: {
      summary: 'Approve or deny a pending request (alias reason for resolution); the approver is the dashboard',
      parameters: id,
      requestBody: body('ApprovalResolve'),
      responses: { 200: ok('{status: "approved"|"denied", approval}'), 400: ok('invalid'), 404: ok('unknown id'), 409: ok('approval already resolved') },
    },
  };
}

/** The OpenAPI 3.1 description of the REST API, built from the same zod schemas that validate it. */
export function openApiDocument(): OpenApiDocument {
  if (cached) return cached;
  const paths: Record<string, object> = {
    '/health': {
      get: {
        summary: 'Liveness without a token ({status, version, uptime_seconds, mode}); with the token, the full report with every downstream',
        security: [],
        responses: { 200: ok('health report') },
      },
    },
    '/settings': {
      get: { summary: 'Effective settings, built-in tool descriptions and the source of each value', responses: { 200: ok('settings') } },
      put: { summary: 'Merge and persist settings', requestBody: body('SettingsUpdate'), responses: { 200: ok('settings'), 400: ok('invalid') } },
    },
    '/dry-run': {
      post: {
        summary: 'How a tool call would be routed in a workspace (nothing is called)',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DryRun' } } } },
        responses: { 200: ok('decision with chain and candidate rules'), 400: ok('invalid'), 404: ok('unknown workspace') },
      },
    },
    '/dashboard': {
      get: {
        summary:
          'Dashboard snapshot: sessions, downstreams, recent calls and errors, stats, zero-filled timeseries, tool leaderboard, server health, error breakdown, route hit map, approval metrics, cache stats',
        parameters: [
          {
            ...queryParameters(DASHBOARD_PARAMS)[0],
            schema: { type: 'string', enum: ['1h', '6h', '24h', '7d'], default: '1h' },
          },
        ],
        responses: { 200: ok('snapshot'), 400: ok('an unknown or repeated query parameter (named)') },
      },
    },
    '/downstreams/{id}/discover': {
      post: {
        summary: 'Start the server, list tools/resources/templates/prompts (all pages), store them',
        responses: { 200: ok('the server with what was discovered'), 404: ok('unknown id'), 502: ok('discovery failed') },
      },
    },
    '/downstreams/{id}/health': { get: { summary: "One server's state, instances and last error", responses: { 200: ok('health'), 404: ok('unknown id') } } },
    '/auth-scopes/{id}/secrets': {
      get: { summary: 'Names of the stored values (never the values)', responses: { 200: ok('{keys}'), 404: ok('unknown id') } },
      put: { summary: 'Set one value', requestBody: body('SecretWrite'), responses: { 200: ok('{status:"ok"}'), 400: ok('invalid'), 404: ok('unknown id') } },
    },
    '/auth-scopes/{id}/secrets/{key}': { delete: { responses: { 204: ok('deleted'), 404: ok('unknown id or key') } } },
    '/routes/bulk': {
      post: {
        summary: 'Create 1–50 route rules, all or nothing',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { type: 'object', properties: { rules: { type: 'array', items: { $ref: '#/components/schemas/RouteCreate' } } }, required: ['rules'] },
                  { type: 'array', items: { $ref: '#/components/schemas/RouteCreate' } },
                ],
              },
            },
          },
        },
        responses: { 201: ok('created rules'), 400: ok('invalid') },
      },
    },
  };
  addApprovals(paths);
  paths['/cache/stats'] = {
    get: {
      summary: 'Both cache layers: {tool_call, route_resolution}, each {hits, misses, evictions, entries, hit_rate (0–1), bytes}',
      responses: { 200: ok('cache stats'), 400: ok('any query parameter (it takes none)') },
    },
  };
  paths['/cache/flush'] = {
    post: {
      summary: 'Flush a cache layer (tool_call | route | all, default all); server_id narrows tool_call',
      requestBody: { required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/CacheFlush' } } } },
      responses: { 200: ok('{status:"flushed"}'), 400: ok('invalid layer: use tool_call, route, or all'), 404: ok('unknown server_id') },
    },
  };
  // The stream takes every filter of GET /audit; only the page (limit, offset) is the list's own.
  const auditFilters = queryParameters(AUDIT_FILTER_PARAMS);
  paths['/audit'] = {
    get: {
      summary: 'Audit records newest first: {data, total, limit, offset}; tool_name takes a glob, after/before are RFC 3339 and inclusive',
      parameters: queryParameters(AUDIT_LIST_PARAMS),
      responses: { 200: ok('a page of records'), 400: ok('a bad time, limit, offset, status or error_code, an unknown or repeated parameter (named)') },
    },
  };
  paths['/audit/stream'] = {
    get: {
      summary: 'Audit records live (SSE: id, event: audit, data); Last-Event-ID replays what was missed; a reader 64 events behind is disconnected',
      parameters: [...auditFilters, { name: 'Last-Event-ID', in: 'header', schema: { type: 'string' } }],
      responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': {} } }, 400: ok('a bad filter or Last-Event-ID') },
    },
  };
  paths['/shutdown'] = {
    post: { summary: 'Stop the gateway; it releases gateway.lock once stopped (mcplexer stop)', responses: { 202: ok('{status:"stopping", pid}') } },
  };
  Object.assign(paths, daemonPaths(), oauthPaths(), installPaths());
  addPending(paths);
  for (const [path, create, update] of resources) {
    paths[path] = {
      get: { summary: `List ${path.slice(1)}`, responses: { 200: ok('array in creation order') } },
      post: {
        summary: `Create one of ${path.slice(1)}`,
        requestBody: body(create),
        responses: { 201: ok('created'), 400: ok('invalid'), 409: ok('conflict') },
      },
    };
    paths[`${path}/{id}`] = {
      parameters: [
        { name: 'id', in: 'path', required: true, description: 'the id, or a name (see docs/configuration.md); an id always wins', schema: { type: 'string' } },
      ],
      get: { responses: { 200: ok('found'), 404: ok('unknown id'), 409: ok('a name that matches several') } },
      put: {
        summary: 'Partial update',
        requestBody: body(update),
        responses: { 200: ok('updated'), 400: ok('invalid'), 404: ok('unknown id'), 409: ok('conflict, or managed by the YAML file') },
      },
      delete: {
        parameters: [{ name: 'cascade', in: 'query', schema: { type: 'boolean' } }],
        responses: { 204: ok('deleted'), 404: ok('unknown id'), 409: ok('still referenced, or managed by the YAML file') },
      },
    };
  }
  // An operation without a requestBody takes none, and refuses one (no-body.ts): say so where a client reads it.
  for (const operations of Object.values(paths) as Array<Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>>)
    for (const method of ['post', 'put', 'delete'])
      if (operations[method] && !operations[method].requestBody)
        operations[method].responses = { 400: ok('a body was sent (named by field): this endpoint takes none, or {}'), ...operations[method].responses };
  const components: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) components[name] = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: 'MCPlexer REST API', version: __MCPLEXER_VERSION__ },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
  cached = document;
  return document;
}
