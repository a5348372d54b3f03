import { GatewayError } from '../errors.js';
import type { CallRecord } from './call-record.js';

/**
 * Where a client names its model for one request: `params._meta["mcplexer/model"]`. MCP itself has
 * no field for it (`clientInfo` names the client application, not the model; `modelPreferences`
 * belong to sampling, a server's request), so the gateway learns the model only when the client
 * says so: this key, or the session's `X-MCPlexer-Model` header.
 */
export const MODEL_META_KEY = 'mcplexer/model';

/** A model name longer than this is refused (it is stored with every record of the call). */
export const MAX_MODEL_LENGTH = 200;

/**
 * Why a declared model name cannot be taken, or undefined when it can: a string of 1 to
 * `MAX_MODEL_LENGTH` characters without control characters (it ends up in logs, the dashboard
 * and the audit trail).
 */
export function modelNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.trim() === '') return 'must not be empty';
  if (value.length > MAX_MODEL_LENGTH) return `must be at most ${MAX_MODEL_LENGTH} characters (got ${value.length})`;
  if (/\p{Cc}/u.test(value)) return 'must not contain control characters';
  return undefined;
}

/**
 * Takes `_meta["mcplexer/model"]` of a request into its record (`record.model`, which otherwise
 * holds the session's model hint). One property read when the request has `_meta`.
 *
 * @throws GatewayError `invalid_params` naming `_meta["mcplexer/model"]` and what to send instead
 */
export function takeDeclaredModel(meta: unknown, record: CallRecord): void {
  if (meta === undefined || meta === null || typeof meta !== 'object') return;
  const value = (meta as Record<string, unknown>)[MODEL_META_KEY];
  if (value === undefined) return;
  const problem = modelNameProblem(value);
  if (problem) {
    throw new GatewayError(
      'invalid_params',
      `_meta["${MODEL_META_KEY}"] ${problem}: send the model's name as a short string (e.g. "claude-sonnet-4"), or leave the key out`,
      {
        details: [{ path: `_meta.${MODEL_META_KEY}`, message: problem }],
      },
    );
  }
  record.model = (value as string).trim();
}
