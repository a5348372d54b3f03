import { ArgumentRedactor } from './redact.js';
import type { RedactionFor } from './row.js';

/** A text with the secrets of a call's context masked (`scopeId`: the call's auth scope, null for none). */
export type SecretTextMasker = (text: string, scopeId?: string | null) => string;

/** How long a context's redactor is used before the context is read again (ms). */
const FRESH_MS = 1_000;

/**
 * Masks secrets in the short texts of a call record that readers other than the audit trail keep
 * (the dashboard's recent calls and leaderboard, metrics.json): a tool name or resource URI, the
 * client's declared name and model, an error message. Same notion of a secret as the trail's
 * (`scopeRedaction`: shapes, every scope's values, the API tokens); each context's redactor is
 * made again at most once a second, since reading the context decrypts the scopes' values, so a
 * token or setting changed meanwhile applies within a second.
 *
 * @param now the clock, ms since the epoch
 */
export function secretTextMasker(redactionFor: RedactionFor, now: () => number = Date.now): SecretTextMasker {
  const redactors = new Map<string | null, { redactor: ArgumentRedactor; at: number }>();
  return (text, scopeId = null) => {
    const at = now();
    let entry = redactors.get(scopeId);
    if (entry === undefined || at - entry.at >= FRESH_MS) {
      if (redactors.size >= 64) redactors.clear(); // scopes come and go with the config
      entry = { redactor: new ArgumentRedactor(redactionFor(scopeId)), at };
      redactors.set(scopeId, entry);
    }
    return entry.redactor.redactText(text);
  };
}
