import { z } from 'zod';
import { authScopeSchema, downstreamSchema, routeSchema, storedSettingsSchema } from '../../../shared/schemas/index.js';
import { workspaceSchema } from './root-path.js';

export const CURRENT_SCHEMA_VERSION = 1;

/** The whole content of `config.json`. Arrays keep creation order, which list endpoints answer in. */
export const configStateSchema = z.object({
  schema_version: z.literal(CURRENT_SCHEMA_VERSION),
  workspaces: z.array(workspaceSchema),
  downstreams: z.array(downstreamSchema),
  routes: z.array(routeSchema),
  auth_scopes: z.array(authScopeSchema),
  settings: storedSettingsSchema,
});
export type ConfigState = z.infer<typeof configStateSchema>;
