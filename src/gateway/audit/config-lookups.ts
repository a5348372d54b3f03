import type { AuthScope, ConfigState, DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { ArgumentRedactor } from './redact.js';
import type { NameLookup, RedactionFor } from './row.js';

const byWord = new ArgumentRedactor();

/**
 * The values of the servers' own `env` and `headers` whose names say they are secrets (keys by
 * word: `LICENSE_KEY`, `X-Api-Key`, `Authorization`), as written: literal secrets for the trail,
 * since a server's errors and results may quote them (a trial: a header value reached audit.db).
 * Other values (`NODE_ENV=production`) are not: masking them would blank ordinary words.
 */
export function serverSecretValues(servers: readonly Pick<DownstreamServer, 'env' | 'headers'>[]): string[] {
  return servers.flatMap((server) =>
    [server.env, server.headers].flatMap((pairs) =>
      Object.entries(pairs)
        .filter(([key]) => byWord.isSecretKey(key))
        .map(([, value]) => value),
    ),
  );
}

/**
 * What marks a secret in a call's arguments, for the audit trail and the approval queue alike: the
 * setting `redaction_words` and the call's auth scope's `redaction_hints` (read at each use, so a
 * settings change applies to the next record, not after a restart), and as literal values every
 * auth scope's own values (decrypted by `secretValues`; a client may paste one scope's token into a
 * call under another, or under none) and the gateway's own secrets (`ownSecrets`: its API tokens,
 * which a dashboard session must not be able to read back from the trail). A scope deleted since
 * the call adds nothing.
 */
export function scopeRedaction(
  scopes: () => readonly AuthScope[],
  secretValues: (scopeId: string) => Record<string, string>,
  words: () => readonly string[] = () => [],
  ownSecrets: () => readonly string[] = () => [],
): RedactionFor {
  const valuesOf = (scopeId: string): string[] => {
    try {
      return Object.values(secretValues(scopeId));
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'not_found') return [];
      throw error;
    }
  };
  return (scopeId) => {
    const configured = words();
    const all = scopes();
    const values = [...ownSecrets(), ...all.flatMap((scope) => valuesOf(scope.id))];
    const scope = scopeId === null ? undefined : all.find((s) => s.id === scopeId);
    return { hints: scope ? [...scope.redaction_hints, ...configured] : [...configured], values };
  };
}

/** Rule summaries (the rule's `path_glob`) and server names from the current config. */
export function configNames(state: () => ConfigState): NameLookup {
  return {
    ruleSummary: (ruleId) => state().routes.find((rule) => rule.id === ruleId)?.path_glob,
    serverName: (serverId) => state().downstreams.find((server) => server.id === serverId)?.name,
  };
}
