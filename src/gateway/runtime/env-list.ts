/** A comma-separated environment variable as a list (`MCPLEXER_EXTRA_TOKENS`, `…_TRUSTED_HOSTS`, …): items trimmed, empty ones left out. */
export function listFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
