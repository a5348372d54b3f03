import type { FetchLike } from '@modelcontextprotocol/client';
import type { BearerSource } from './types.js';

/**
 * A fetch for an HTTP downstream under an OAuth scope: each request carries the scope's current
 * token (`Authorization`), and a 401 gets one retry with the token the source hands back
 * (refreshed, or already refreshed by someone else); a second 401 is the server's answer.
 * Request bodies of the SDK transports are strings, so the retry can send the same body.
 */
export function bearerFetch(source: BearerSource, base: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    const value = await source.current();
    const response = await base(url, withAuthorization(init, value));
    if (response.status !== 401 || value === undefined) return response;
    const retry = await source.refreshAfter401(value);
    if (retry === undefined || retry === value) return response;
    await response.body?.cancel();
    return base(url, withAuthorization(init, retry));
  };
}

function withAuthorization(init: RequestInit | undefined, value: string | undefined): RequestInit {
  const headers = new Headers(init?.headers);
  if (value !== undefined) headers.set('authorization', value);
  return { ...init, headers };
}
