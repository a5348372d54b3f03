import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The data dir: `MCPLEXER_HOME` (trimmed, when set and not empty), else `~/.mcplexer`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCPLEXER_HOME?.trim() || path.join(homedir(), '.mcplexer');
}

/** `<dataDir>/api-token`: the REST and MCP bearer token, written (0600) by the daemon at its first start. */
export const TOKEN_FILE = 'api-token';

/** `<dataDir>/gateway.log`: where a daemon started on demand writes its stdout and stderr. */
export const LOG_FILE = 'gateway.log';

/** The API token of a data dir. @throws Error (ENOENT) when no daemon ever started there. */
export function readToken(dataDir: string): string {
  return readFileSync(path.join(dataDir, TOKEN_FILE), 'utf8').trim();
}
