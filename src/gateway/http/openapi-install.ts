import type { z } from 'zod';
import { queryParameters } from '../config/index.js';
import { PREVIEW_PARAMS } from './routers/mcp-install.js';
import { clientStateSchema, installPreviewSchema, installStatusSchema } from '../../shared/schemas/mcp-install.js';
import { importableServersSchema, importRequestSchema, importResultSchema } from '../../shared/schemas/mcp-import.js';

/** The MCP Install schemas in openapi.json's components (the zod schemas the wire is pinned against). */
export const installSchemas: Record<string, z.ZodType> = {
  ClientState: clientStateSchema,
  InstallStatus: installStatusSchema,
  InstallPreview: installPreviewSchema,
  ImportableServers: importableServersSchema,
  ImportRequest: importRequestSchema,
  ImportResult: importResultSchema,
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const clientId = [{ name: 'clientId', in: 'path', required: true, schema: { type: 'string' } }];
const refusals = {
  404: { description: 'unknown client id (the message lists the known ones)' },
  409: { description: 'the client is not detected on this machine' },
  422: { description: 'the config file cannot be parsed (line and column); it is left untouched' },
};

/** The refusals of the import endpoints (the client's file is read, never written). */
const unreadable = { ...refusals, 409: { description: 'the client is not detected on this machine, or its config file cannot be read' } };

/** The MCP Install section's paths (http/routers/mcp-install.ts). */
export function installPaths(): Record<string, object> {
  return {
    '/mcp-install/status': {
      get: {
        summary: 'Every known MCP client: detected, configured, stale; the bridge path and the stdio entry',
        responses: { 200: json('status', ref('InstallStatus')) },
      },
    },
    '/mcp-install/{clientId}/preview': {
      get: {
        summary: "The client's config file as install (or, with action=uninstall, uninstall) would write it, and a unified diff; writes nothing",
        parameters: [...clientId, ...queryParameters(PREVIEW_PARAMS)],
        responses: { 200: json('preview', ref('InstallPreview')), ...refusals },
      },
    },
    '/mcp-install/{clientId}/install': {
      post: {
        summary: 'Write the mcplexer entry (and remove a legacy mx one), atomically, keeping <file>.bak',
        parameters: clientId,
        responses: { 200: json("the client's state", ref('ClientState')), ...refusals },
      },
    },
    '/mcp-install/{clientId}/uninstall': {
      post: {
        summary: 'Remove the mcplexer (and mx) entry; 409 when there is none',
        parameters: clientId,
        responses: { 200: json("the client's state", ref('ClientState')), ...refusals, 409: { description: 'not detected, or not configured' } },
      },
    },
    '/mcp-install/{clientId}/servers': {
      get: {
        summary:
          "The MCP servers in the client's own config file and what an import would do with each (new, exists, ours, unsupported), with the namespace it would get; env and header values are never shown",
        parameters: clientId,
        responses: { 200: json('the entries', ref('ImportableServers')), ...unreadable },
      },
    },
    '/mcp-install/{clientId}/import': {
      post: {
        summary:
          'Add the named entries (no servers: every new one) as downstream servers, as POST /downstreams does (validated, values sealed at rest, discovered); the others are skipped with the reason',
        parameters: clientId,
        requestBody: { required: false, content: { 'application/json': { schema: ref('ImportRequest') } } },
        responses: {
          200: json('what was imported and skipped', ref('ImportResult')),
          400: { description: 'the body does not match ImportRequest' },
          ...unreadable,
        },
      },
    },
  };
}
