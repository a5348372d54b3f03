import { z } from 'zod';
import { authScopeSchema, downstreamSchema, oauthProviderSchema, routeSchema, storedSettingsSchema } from '../../../shared/schemas/index.js';
import { workspaceSchema } from './root-path.js';

export const CURRENT_SCHEMA_VERSION = 2;

/** The whole content of `config.json`. Arrays keep creation order, which list endpoints answer in. */
export const configStateSchema = z.object({
  schema_version: z.literal(CURRENT_SCHEMA_VERSION),
  workspaces: z.array(workspaceSchema),
  downstreams: z.array(downstreamSchema),
  routes: z.array(routeSchema),
  auth_scopes: z.array(authScopeSchema),
  // Added with OAuth (issue 19); older files have none, so no new schema version is needed.
  oauth_providers: z.array(oauthProviderSchema).default([]),
  settings: storedSettingsSchema,
});
export type ConfigState = z.infer<typeof configStateSchema>;
