import { OAuthError } from '@modelcontextprotocol/client';
import { reason } from './discover.js';

/**
 * A failed token request in words a user can act on: the provider's OAuth error code and
 * description (RFC 6749 §5.2), an answer that is not JSON or not a token response, or the
 * network failure. Never includes a token or a secret (the SDK's errors carry none).
 */
export function describeTokenError(error: unknown): string {
  if (error instanceof OAuthError) return `${error.code}${error.message && error.message !== error.code ? `: ${error.message}` : ''}`;
  if (error instanceof SyntaxError) return 'the token endpoint did not answer JSON';
  if (error instanceof Error && error.name === 'ZodError')
    return 'the token endpoint answered something that is not a token response (no access_token or token_type)';
  return reason(error);
}
