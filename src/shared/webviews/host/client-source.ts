import type { z } from 'zod';
import type { RestClient } from '../../rest-client.js';
import type { Settled } from '../answers.js';
import { describeIssues } from '../protocol.js';
import { toWireError } from './wire-error.js';

/** The REST methods the views use (a test hands in a double with these only). */
export type ViewsClient = Pick<
  RestClient,
  | 'health'
  | 'listWorkspaces'
  | 'listDownstreams'
  | 'createDownstream'
  | 'updateDownstream'
  | 'deleteDownstream'
  | 'discoverDownstream'
  | 'restartDownstream'
  | 'visibility'
  | 'listRoutes'
  | 'createRoute'
  | 'updateRoute'
  | 'deleteRoute'
  | 'dryRun'
  | 'dashboard'
  | 'auditStream'
  | 'getDownstream'
  | 'cacheStats'
  | 'flushCache'
  | 'listAudit'
  | 'listApprovals'
  | 'getApproval'
  | 'resolveApproval'
  | 'approvalStream'
  | 'downstreamOAuthStatus'
  | 'oauthAuthorize'
  | 'connectDownstream'
  | 'oauthStatus'
  | 'listAuthScopes'
>;

/**
 * Where the handlers get the client and the folders they speak for, read at each request. The
 * extension hands in its window's connection and folders; the browser page its same-origin client
 * and no folders (it speaks for no window).
 */
export interface ClientSource {
  /** @throws ViewError `gateway_unavailable` while the connection is not ready */
  client(): ViewsClient;
  folders(): readonly string[];
  /**
   * Whom the views speak for: `window` (the extension: its folders, absent means this) or
   * `gateway` (the browser dashboard, which belongs to no window: every workspace of the gateway).
   */
  readonly scope?: 'window' | 'gateway';
}

/** One part of a combined answer: checked on its own, so a failure there leaves the rest intact. */
export async function settle<T extends z.ZodType>(answer: Promise<unknown>, schema: T): Promise<Settled<z.infer<T>>> {
  try {
    const parsed = schema.safeParse(await answer);
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, error: { code: 'unexpected_answer', message: `unexpected answer: ${describeIssues(parsed.error)}`, details: [] } };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}
