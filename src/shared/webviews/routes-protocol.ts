/**
 * The Routes view's message protocol: the rules that apply to this window's folders in the order
 * the gateway evaluates them, their edits, and dry-run. Shared by the host (`src/extension/views`)
 * and the view (`src/webview/routes`); both parse what they receive with these schemas.
 *
 * The order is the gateway's, never recomputed: the host asks `POST /dry-run` with a probe name for
 * each folder, and dry-run lists every rule of the folder's chain (folder → … → `global`) in
 * evaluation order as `candidate_rules`.
 */
import { z } from 'zod';
import { routeCreateSchema, routeUpdateSchema } from '../schemas/index.js';
import { dryRunAnswerSchema, ruleAnswerSchema, settled, workspaceAnswerSchema } from './answers.js';
import { COMMON_TO_HOST, COMMON_TO_VIEW } from './common-notes.js';
import { defineProtocol, type ToHostMessage, type ToViewMessage } from './protocol.js';

/** A tool name no server has: its dry-run lists the chain's rules without one deciding. */
export const RULE_ORDER_PROBE = 'mcplexer-rule-order-probe';

const ref = z.string().min(1, 'must not be empty');

/**
 * One folder of the window with the gateway's answer for it (an error when it has no workspace yet);
 * for the browser dashboard, one workspace: `folder` its root path, `label` its name.
 */
export const folderAnswerSchema = z.object({ folder: z.string(), label: z.string().optional(), answer: settled(dryRunAnswerSchema) });

/** `window`: the folders of one editor window (a call carries them all); `gateway`: each workspace on its own. */
export const routesScopeSchema = z.enum(['window', 'gateway']);
export type RoutesScope = z.infer<typeof routesScopeSchema>;
export type FolderAnswer = z.infer<typeof folderAnswerSchema>;

export const routesSnapshotSchema = z.object({
  /** Per folder, the probe's dry-run: `chain` and `candidate_rules` in evaluation order. */
  folders: z.array(folderAnswerSchema),
  scope: routesScopeSchema.optional(),
  workspaces: z.array(workspaceAnswerSchema),
  /** The servers a rule may name (`server_id`). */
  servers: z.array(z.object({ id: z.string(), name: z.string(), namespace: z.string() })),
  /** The auth scopes a rule may name (`auth_scope_id`); absent in a view state saved before Dec 2026. */
  auth_scopes: z.array(z.object({ id: z.string(), name: z.string(), type: z.string() })).optional(),
});
export type RoutesSnapshot = z.infer<typeof routesSnapshotSchema>;

export const routesProtocol = defineProtocol({
  name: 'routes',
  requests: {
    'routes/snapshot': { params: z.strictObject({}), result: routesSnapshotSchema },
    /** POST /routes, validated with the gateway's own create schema. */
    'routes/create': { params: z.strictObject({ body: routeCreateSchema }), result: ruleAnswerSchema },
    /** PUT /routes/{id} (partial). */
    'routes/update': { params: z.strictObject({ id: ref, body: routeUpdateSchema }), result: ruleAnswerSchema },
    'routes/delete': { params: z.strictObject({ id: ref }), result: z.object({}) },
    /** POST /dry-run once per folder of the window, answered exactly as the gateway answered. */
    'routes/dryRun': {
      params: z.strictObject({ tool_name: z.string().trim().min(1, 'must not be empty'), subpath: z.string().optional() }),
      result: z.object({ folders: z.array(folderAnswerSchema), scope: routesScopeSchema.optional() }),
    },
  },
  toHost: { ...COMMON_TO_HOST },
  toView: {
    ...COMMON_TO_VIEW,
    /** Open the Add form (`mcplexer.addRoute`). */
    'routes/showAdd': z.strictObject({}),
    /** Fill the dry-run box and run it (`mcplexer.dryRun`). */
    'routes/runDryRun': z.strictObject({ tool_name: z.string().min(1) }),
  },
});
export type RoutesProtocol = typeof routesProtocol;
export type RoutesToHost = ToHostMessage<RoutesProtocol>;
export type RoutesToView = ToViewMessage<RoutesProtocol>;
