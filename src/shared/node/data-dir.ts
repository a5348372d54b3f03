// STAND-IN (E3, issue 16): the smallest version of E1's module at the contract's path; E1's replaces it at merge.
import { homedir } from 'node:os';
import path from 'node:path';

/** `MCPLEXER_HOME`, else `~/.mcplexer`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCPLEXER_HOME?.trim() || path.join(homedir(), '.mcplexer');
}
