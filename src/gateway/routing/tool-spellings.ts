import type { DownstreamServer } from '../config/index.js';
import { strictest } from './strictest.js';
import type { Decision } from './types.js';

/**
 * The other name a rule may have been written for. A server with `expose_unprefixed` lists its
 * tools under their own names (`get-env`), but its rules were often written, or kept from before
 * the switch, for `namespace__tool` (`everything__get-env`): a deny rule written so stopped matching
 * the moment the server went unprefixed (a trial: the call returned the server's environment).
 * Undefined when there is no other spelling.
 */
export function namespacedSpelling(toolName: string, owner: Pick<DownstreamServer, 'namespace' | 'expose_unprefixed'> | undefined): string | undefined {
  if (!owner?.expose_unprefixed) return undefined;
  const prefixed = `${owner.namespace}__${toolName}`;
  return toolName.startsWith(`${owner.namespace}__`) ? undefined : prefixed;
}

/**
 * One call decided under two spellings of its tool's name: a rule written for either applies, the
 * strictest of the rules that matched wins; the default policy only when no rule matched either
 * spelling (a default deny for the spelling nobody wrote a rule for must not undo an allow rule
 * written for the other).
 */
export function eitherSpelling<D extends Decision>(own: D, other: D): D {
  if (own.matched && other.matched) return strictest([own, other]);
  return other.matched ? other : own;
}
