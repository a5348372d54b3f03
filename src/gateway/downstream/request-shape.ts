/** What the per-call path sends and accepts, without the SDK's validation or a client's private token. */
import type { StandardSchemaV1 } from '@modelcontextprotocol/client';
import type { DownstreamResult } from './types.js';

/** The SDK validates results against a schema; ours accepts what the downstream sent, untouched. */
export const AS_SENT: StandardSchemaV1<unknown, DownstreamResult> = {
  '~standard': { version: 1, vendor: 'mcplexer', validate: (value) => ({ value: value as DownstreamResult }) },
};

/** The params without `_meta.progressToken`: a client's token must not reach a downstream other clients share. */
export function withoutProgressToken(params: Record<string, unknown>): Record<string, unknown> {
  const { progressToken: _dropped, ...meta } = params._meta as Record<string, unknown>;
  return { ...params, _meta: meta };
}
