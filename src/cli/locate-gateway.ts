import { findGateway, locateOrStartGateway, type LocatedGateway } from '../shared/node/index.js';
import { RestClient } from '../shared/rest-client.js';
import { selfCommand } from './self.js';

/**
 * The running gateway of a data dir.
 * @throws Error "no gateway running (looked for …)" and how to start one (`hint`, after the command) when there is none.
 */
export async function requireGateway(dataDir: string, hint = ''): Promise<LocatedGateway> {
  const found = await findGateway(dataDir);
  if ('gateway' in found) return found.gateway;
  throw new Error(`${found.missing}; start one with "${selfCommand()} serve"${hint}`);
}

/**
 * The gateway of a data dir, started with this CLI (`process.argv[1]`) and this runtime when none
 * runs (detached; its log is `<dataDir>/gateway.log`), `serveArgs` added after `serve --home <dataDir> …`.
 * @throws Error quoting what its start wrote to gateway.log when it does not come up (see `locateOrStartGateway`)
 */
export function startedGateway(dataDir: string, serveArgs: readonly string[] = []): Promise<LocatedGateway> {
  return locateOrStartGateway({ dataDir, cliPath: process.argv[1]!, args: serveArgs });
}

/** A REST client of the running gateway (or of one started now, with `start`). */
export async function restClient(dataDir: string, start: boolean | undefined, hint = ''): Promise<RestClient> {
  const gateway = start ? await startedGateway(dataDir) : await requireGateway(dataDir, hint);
  return new RestClient(gateway.url, gateway.token);
}
