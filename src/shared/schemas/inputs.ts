import type { z } from 'zod';
import type { authScopeCreateSchema, authScopeUpdateSchema, secretWriteSchema } from './auth-scope.js';
import type { downstreamCreateSchema, downstreamUpdateSchema } from './downstream.js';
import type { routeCreateSchema, routeUpdateSchema } from './route.js';
import type { settingsUpdateSchema } from './settings.js';
import type { workspaceCreateSchema, workspaceUpdateSchema } from './workspace.js';

/**
 * What a client may send as a body (`z.input`: fields with a default may be left out), next to
 * the parsed types (`WorkspaceCreate`, … : `z.infer`, defaults filled in) the gateway works with.
 */
export type WorkspaceCreateInput = z.input<typeof workspaceCreateSchema>;
export type WorkspaceUpdateInput = z.input<typeof workspaceUpdateSchema>;
export type DownstreamCreateInput = z.input<typeof downstreamCreateSchema>;
export type DownstreamUpdateInput = z.input<typeof downstreamUpdateSchema>;
export type RouteCreateInput = z.input<typeof routeCreateSchema>;
export type RouteUpdateInput = z.input<typeof routeUpdateSchema>;
export type AuthScopeCreateInput = z.input<typeof authScopeCreateSchema>;
export type AuthScopeUpdateInput = z.input<typeof authScopeUpdateSchema>;
export type SettingsUpdateInput = z.input<typeof settingsUpdateSchema>;
export type SecretWrite = z.input<typeof secretWriteSchema>;
/** `POST /routes/bulk`: 1–50 rules, all or nothing; `{rules: […]}` or the bare array. */
export type RoutesBulkInput = { rules: RouteCreateInput[] } | RouteCreateInput[];
