/**
 * Words that make a key secret (issue 17, ORIGINAL.md "Audit"): matched against the key's words,
 * not as substrings, so `apiKey` and `session_token` match and `monkey` and `session_id` do not.
 * `session` alone is left out on purpose: a session id is not a secret. Used for tool arguments
 * (audit/redact.ts) and for the env and header names of a downstream server (what the API masks).
 */
export const SECRET_KEY_WORDS: ReadonlySet<string> = new Set([
  'token',
  'key',
  'secret',
  'password',
  'passphrase',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'bearer',
  'apikey',
]);

/**
 * A key's words, lower-cased: split at `_`, `-`, `.`, spaces and camelCase boundaries
 * (`X-API-Key` → x, api, key; `sessionToken` → session, token; `APIKey` → api, key).
 */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** Whether one of the words is a secret word or its plural (`API_KEYS`, `GITHUB_TOKEN`, `Authorization`). */
export function hasSecretWord(words: readonly string[]): boolean {
  return words.some((word) => SECRET_KEY_WORDS.has(word) || (word.endsWith('s') && SECRET_KEY_WORDS.has(word.slice(0, -1))));
}
