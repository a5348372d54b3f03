/**
 * The texts `MCPlexer: Copy MCP Endpoint` puts on the clipboard (pure, so they are unit-tested):
 * the Streamable HTTP endpoint with its header, or the stdio bridge command for clients that only
 * launch stdio servers. The bridge runs from the stable copy under the data dir
 * (`<data dir>/bin/mcplexer-cli.js`), because the extension's own folder changes on every update.
 */
export function httpEndpointText(url: string, token: string): string {
  return `URL: ${url}/mcp\nHeader: Authorization: Bearer ${token}`;
}

/** A command-line word, quoted only when it needs to be (POSIX single quotes; cmd.exe double quotes). */
export function quoteArg(word: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[\w@%+=:,./\\-]+$/.test(word)) return word;
  if (platform === 'win32') return `"${word.replace(/"/g, '""')}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `node <cli> connect --home <data dir>`: the data dir is named so the bridge finds this gateway whatever the client's environment. */
export function stdioBridgeCommand(cliPath: string, dataDir: string, platform: NodeJS.Platform = process.platform): string {
  return ['node', quoteArg(cliPath, platform), 'connect', '--home', quoteArg(dataDir, platform)].join(' ');
}

/**
 * `node <cli> open --home <data dir>`: the browser dashboard from a terminal. An extension user has
 * no `mcplexer` on the PATH (a new user's trial was told to run "mcplexer open"), so the stable copy.
 */
export function openDashboardCommand(cliPath: string, dataDir: string, platform: NodeJS.Platform = process.platform): string {
  return ['node', quoteArg(cliPath, platform), 'open', '--home', quoteArg(dataDir, platform)].join(' ');
}
