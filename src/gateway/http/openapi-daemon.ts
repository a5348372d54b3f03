import { z } from 'zod';
import {
  drainResponseSchema,
  restartResponseSchema,
  visibilityReportSchema,
  windowInfoSchema,
  windowLeaseSchema,
  windowRegistrationSchema,
} from '../../shared/schemas/daemon.js';
import { queryParameters } from '../config/index.js';
import { EVENTS_PARAMS } from './routers/events.js';
import { VISIBILITY_PARAMS } from './routers/visibility.js';

/** The daemon's schemas in openapi.json's components (from the same zod schemas that validate and type them). */
export const daemonSchemas: Record<string, z.ZodType> = {
  WindowRegistration: windowRegistrationSchema,
  WindowLease: windowLeaseSchema,
  WindowInfo: windowInfoSchema,
  DrainResponse: drainResponseSchema,
  RestartResponse: restartResponseSchema,
  VisibilityReport: visibilityReportSchema,
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const ok = (description: string) => ({ description });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** The paths of the endpoints editor windows and views use (docs/daemon.md). */
export function daemonPaths(): Record<string, object> {
  return {
    '/windows': {
      get: {
        summary: 'The editor windows with a live lease, in registration order',
        responses: { 200: json('windows', { type: 'array', items: ref('WindowInfo') }) },
      },
      post: {
        summary: 'Register a window (again); its lease lasts lease_sec (renew every 20 s)',
        requestBody: { required: true, content: { 'application/json': { schema: ref('WindowRegistration') } } },
        responses: { 201: json('the lease', ref('WindowLease')), 400: ok('invalid (the field is named)') },
      },
    },
    '/windows/{id}/lease': {
      put: {
        summary: "Renew a window's lease",
        parameters: [idParam],
        responses: { 200: json('the lease', ref('WindowLease')), 404: ok('unknown window (the daemon restarted or the lease ran out): register again') },
      },
    },
    '/windows/{id}': { delete: { summary: 'A window leaves', parameters: [idParam], responses: { 204: ok('gone (also when it was not registered)') } } },
    '/events': {
      get: {
        summary: 'Server-Sent Events: downstream.state, config.changed, tools.changed, windows.changed, resync; resume with Last-Event-ID',
        parameters: [{ name: 'Last-Event-ID', in: 'header', schema: { type: 'string', pattern: '^\\d+$' } }, ...queryParameters(EVENTS_PARAMS)],
        responses: {
          200: { description: 'an event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          400: ok('a bad Last-Event-ID, or an unknown query parameter'),
        },
      },
    },
    '/drain': {
      post: {
        summary: 'Refuse new MCP sessions, finish the calls in flight, then stop',
        responses: { 202: json('draining', ref('DrainResponse')) },
      },
    },
    '/visibility': {
      get: {
        summary: "Why each server's tools are or are not listed from these folders",
        parameters: queryParameters(VISIBILITY_PARAMS),
        responses: {
          200: json('one entry per server', ref('VisibilityReport')),
          400: ok('invalid query parameter (named): unknown, repeated, or of the wrong form'),
        },
      },
    },
    '/downstreams/{id}/restart': {
      post: {
        summary: "Stop the server's instances and forget its failures; the next call starts it again",
        parameters: [idParam],
        responses: { 202: json('restarting', ref('RestartResponse')), 404: ok('unknown id') },
      },
    },
  };
}
