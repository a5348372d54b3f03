/**
 * A refused server delete (409: rules or auth scopes still use it) in the view's words (pure). The
 * gateway's message names each dependant by id (`route ea3e2030-…`) and says "repeat with
 * ?cascade=true" (API words); the view names the rules as people name them and says what to press.
 */
import type { WireError } from '../../shared/webviews/protocol.js';
import { entityName, type EntityNames } from '../../shared/webviews/entity-names.js';

/**
 * @param details the 409's details (`{path: "id", message: "used by route <id>" | "used by auth scope <id>"}`)
 * @param names the names table read after the refusal (absent: the rules are counted, not named)
 */
export function deleteConflictText(serverName: string, details: WireError['details'], names: EntityNames | undefined): string {
  const rules: string[] = [];
  let scopes = 0;
  for (const { message } of details) {
    const route = /^used by route (.+)$/.exec(message);
    if (route) rules.push(names ? entityName(names, 'rules', route[1]) : '');
    else if (message.startsWith('used by auth scope ')) scopes += 1;
  }
  const parts: string[] = [];
  if (rules.length > 0) {
    const named = rules.filter(Boolean);
    parts.push(
      named.length === rules.length
        ? `${rules.length === 1 ? 'the rule' : 'the rules'} ${named.join('; ')}`
        : `${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}`,
    );
  }
  if (scopes > 0) parts.push(`${scopes} ${scopes === 1 ? 'auth scope' : 'auth scopes'}`);
  const users = parts.length > 0 ? parts.join(' and ') : 'rules or auth scopes';
  return `The server “${serverName}” is still used by ${users}. Delete those first, or delete the server with them.`;
}

/**
 * What the cascade of a refused delete removes, in the view's words, and its button's label: the
 * rules that name the server, the auth scopes bound to it, and what becomes of the rules that use
 * those scopes (they stay, without the credentials; the gateway's cascade). One label said "Delete
 * with its rules" for a server used by an auth scope only, which deleted the scope and left two
 * rules without their credentials, unsaid (a new user's trial).
 */
export function cascadeWords(details: WireError['details']): { consequence: string; button: string } {
  const rules = details.some(({ message }) => message.startsWith('used by route '));
  const scopes = details.some(({ message }) => message.startsWith('used by auth scope '));
  const scopeNote = 'rules that use those auth scopes stay, without their credentials';
  if (rules && scopes)
    return {
      consequence: `Deleting it anyway also deletes the rules that name it and the auth scopes bound to it; other ${scopeNote}.`,
      button: 'Delete with its rules and auth scopes',
    };
  if (scopes) return { consequence: `Deleting it anyway also deletes the auth scopes bound to it; ${scopeNote}.`, button: 'Delete with its auth scopes' };
  return { consequence: 'Deleting it anyway also deletes the rules that name it.', button: 'Delete with its rules' };
}
