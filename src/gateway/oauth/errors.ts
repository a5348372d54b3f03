import { OAuthError } from '@modelcontextprotocol/client';
import { literalMatcher, REDACTED, redactShapes } from '../redaction/index.js';
import { reason } from './discover.js';

/**
 * A failed token request in words a user can act on: the provider's OAuth error code and
 * description (RFC 6749 §5.2), an answer that is not JSON or not a token response, or the
 * network failure. The provider writes the description: one that echoes what it was sent (a
 * trial's provider quoted the refresh token, which then reached config.json, the log and the
 * agent) has `secrets` and every credential shape masked.
 *
 * @param secrets what the request carried (refresh token, code, code verifier, client secret)
 */
export function describeTokenError(error: unknown, secrets: ReadonlyArray<string | undefined> = []): string {
  const literals = literalMatcher(secrets.filter((value): value is string => value !== undefined));
  // Only the provider's and the network's words are masked: "token endpoint" has a credential's shape.
  const masked = (text: string) => redactShapes(literals ? text.replace(literals, REDACTED) : text);
  if (error instanceof OAuthError) return `${error.code}${error.message && error.message !== error.code ? `: ${masked(error.message)}` : ''}`;
  if (error instanceof SyntaxError) return 'the token endpoint did not answer JSON';
  if (error instanceof Error && error.name === 'ZodError')
    return 'the token endpoint answered something that is not a token response (no access_token or token_type)';
  return masked(reason(error));
}
