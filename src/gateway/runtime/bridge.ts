import { stableCliPath } from '../../shared/node/index.js';

/**
 * How a client runs the stdio bridge of this gateway: this process's runtime by absolute path (GUI
 * apps do not inherit the shell's PATH) — VS Code's, with `ELECTRON_RUN_AS_NODE=1`, when the
 * extension started the daemon, else node — the stable CLI copy under the data dir (not the
 * extension's folder, which changes on every update), and `MCPLEXER_HOME` so it finds this data dir.
 */
export function bridgeCommand(dataDir: string): { command: string; args: string[]; env: Record<string, string> } {
  const electron = Boolean(process.versions.electron);
  return {
    command: process.execPath,
    args: [stableCliPath(dataDir), 'connect'],
    env: { MCPLEXER_HOME: dataDir, ...(electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
  };
}

/**
 * What the client installer builds entries from: the bridge script's path, and the gateway as it
 * runs now (`http://<host>:<port>/mcp`, a wildcard host reached on 127.0.0.1; the port is read at
 * each call, since it is known only once the gateway listens).
 */
export function installTarget(dataDir: string, host: string, port: () => number, token: string) {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    bridgeScript: stableCliPath(dataDir),
    context: () => ({ url: `http://${reachable}:${port()}/mcp`, token, bridge: bridgeCommand(dataDir) }),
  };
}
