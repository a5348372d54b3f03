import type { Logger } from '../log.js';

/** A comma-separated environment variable as a list (`MCPLEXER_EXTRA_TOKENS`, `…_TRUSTED_HOSTS`, …): items trimmed, empty ones left out. */
export function listFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The shortest token the API accepts (`http/security.ts` ignores shorter ones): 16 characters. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * `MCPLEXER_EXTRA_TOKENS` as a list of the tokens the API will accept: an entry shorter than
 * `MIN_TOKEN_LENGTH` is left out and the log says which one by its position (never its value),
 * since a client sending it would otherwise meet a 401 with no hint why.
 */
export function extraTokensFromEnv(env: NodeJS.ProcessEnv, logger: Pick<Logger, 'warn'>): string[] {
  const all = listFromEnv(env.MCPLEXER_EXTRA_TOKENS);
  all.forEach((token, index) => {
    if (token.length < MIN_TOKEN_LENGTH)
      logger.warn(
        `MCPLEXER_EXTRA_TOKENS entry ${index + 1} of ${all.length} is ignored: it has ${token.length} characters, and a token needs at least ${MIN_TOKEN_LENGTH}`,
      );
  });
  return all.filter((token) => token.length >= MIN_TOKEN_LENGTH);
}
