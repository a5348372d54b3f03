/**
 * The Servers view's message protocol: every downstream server with its live state, tools and why
 * tools are missing, and the actions on a server. Shared by the host (`src/extension/views`) and the
 * view (`src/webview/servers`); both parse what they receive with these schemas (protocol.ts).
 */
import { z } from 'zod';
import { downstreamCreateSchema, downstreamSchema, downstreamUpdateSchema } from '../schemas/index.js';
import { healthAnswerSchema, settled, visibilityAnswerSchema } from './answers.js';
import { COMMON_TO_HOST, COMMON_TO_VIEW } from './common-notes.js';
import { entityNamesSchema } from './entity-names.js';
import { defineProtocol, type ToHostMessage, type ToViewMessage } from './protocol.js';

const ref = z.string().min(1, 'must not be empty');
const done = z.object({});

/** Everything the view shows, in one answer: the list is required, health and visibility may fail alone. */
export const serversSnapshotSchema = z.object({
  /** This window's folders (absolute paths), the ones visibility was asked about. */
  folders: z.array(z.string()),
  downstreams: z.array(downstreamSchema),
  health: settled(healthAnswerSchema),
  visibility: settled(visibilityAnswerSchema),
});
export type ServersSnapshot = z.infer<typeof serversSnapshotSchema>;

export const serversProtocol = defineProtocol({
  name: 'servers',
  requests: {
    /** GET /downstreams, GET /health and GET /visibility?dir=<each folder>, together. */
    'servers/snapshot': { params: z.strictObject({}), result: serversSnapshotSchema },
    /** POST /downstreams with the body the gateway validates with the same schema. */
    'servers/create': { params: z.strictObject({ body: downstreamCreateSchema }), result: downstreamSchema },
    /** PUT /downstreams/{id} (partial). */
    'servers/update': { params: z.strictObject({ id: ref, body: downstreamUpdateSchema }), result: downstreamSchema },
    /** DELETE /downstreams/{id}[?cascade=true]; a 409 comes back as an error with status 409. */
    'servers/delete': { params: z.strictObject({ id: ref, cascade: z.boolean() }), result: done },
    /** The names of servers, rules and workspaces (`entity-names.ts`): a refused delete names the rules that use the server. */
    'servers/names': { params: z.strictObject({}), result: entityNamesSchema },
    /** POST /downstreams/{id}/discover: starts it and stores its lists. */
    'servers/discover': { params: z.strictObject({ id: ref }), result: downstreamSchema },
    /** POST /downstreams/{id}/restart: stops its instances; the next call starts them. */
    'servers/restart': { params: z.strictObject({ id: ref }), result: done },
    /**
     * Connect Account: in VS Code the host runs "MCPlexer: Connect Account…" for the server (browser,
     * progress, messages: `started`); elsewhere the host answers the URL to open (null: already connected).
     */
    'servers/connect': {
      params: z.strictObject({ id: ref }),
      result: z.object({ started: z.boolean(), authorize_url: z.string().nullable(), auth_scope_name: z.string().nullable() }),
    },
  },
  toHost: { ...COMMON_TO_HOST },
  toView: { ...COMMON_TO_VIEW },
});
export type ServersProtocol = typeof serversProtocol;
export type ServersToHost = ToHostMessage<ServersProtocol>;
export type ServersToView = ToViewMessage<ServersProtocol>;
