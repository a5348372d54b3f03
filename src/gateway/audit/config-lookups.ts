import type { AuthScope, ConfigState } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { NameLookup, RedactionFor } from './row.js';

/**
 * What marks a secret for calls under an auth scope: its `redaction_hints` and its own values
 * (decrypted by `secretValues`), so a scope's values never reach the trail even when a client
 * sends one as an argument. A scope deleted since the call adds nothing.
 */
export function scopeRedaction(
  scopes: () => readonly AuthScope[],
  secretValues: (scopeId: string) => Record<string, string>,
  words: () => readonly string[] = () => [],
): RedactionFor {
  return (scopeId) => {
    const configured = words();
    if (scopeId === null) return { hints: configured };
    const scope = scopes().find((s) => s.id === scopeId);
    if (!scope) return { hints: configured };
    let values: string[] = [];
    try {
      values = Object.values(secretValues(scopeId));
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === 'not_found')) throw error;
    }
    return { hints: [...scope.redaction_hints, ...configured], values };
  };
}

/** Rule summaries (the rule's `path_glob`) and server names from the current config. */
export function configNames(state: () => ConfigState): NameLookup {
  return {
    ruleSummary: (ruleId) => state().routes.find((rule) => rule.id === ruleId)?.path_glob,
    serverName: (serverId) => state().downstreams.find((server) => server.id === serverId)?.name,
  };
}
