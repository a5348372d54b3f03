import type { Server } from 'node:http';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { describePortHolder } from './port-holder.js';

/** The port when none is given (setting `mcplexer.port`, env `MCPLEXER_PORT`, `--port`). */
export const DEFAULT_PORT = 8080;

const FALLBACK_TRIES = 20;

function listenOnce(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Listens on `port` (0: any free port) and answers the port taken. When the port is in use:
 * with `fallback` (the port was not chosen by the user) it says so and tries the next ones;
 * without, it fails naming the port and, where it can be known, what holds it.
 *
 * @throws GatewayError `conflict` when the chosen port (or all `FALLBACK_TRIES` from it) is in
 *   use; other listen errors (EACCES …) as they come.
 */
export async function listenOn(server: Server, host: string, port: number, fallback: boolean, logger: Logger): Promise<number> {
  const tries = port === 0 || !fallback ? 1 : FALLBACK_TRIES;
  for (let offset = 0; offset < tries; offset += 1) {
    const candidate = port === 0 ? 0 : port + offset;
    try {
      return await listenOnce(server, host, candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (!fallback) {
        const holder = await describePortHolder(candidate);
        throw new GatewayError(
          'conflict',
          `port ${candidate} on ${host} is in use${holder ? ` by ${holder}` : ' by another program'}; ` +
            `choose another with --port or MCPLEXER_PORT, or stop what holds it`,
          { cause: error },
        );
      }
      logger.warn(`port ${candidate} is in use by another program; trying ${candidate + 1}`, { port: candidate });
    }
  }
  throw new GatewayError('conflict', `ports ${port}–${port + tries - 1} are all in use; set MCPLEXER_PORT to a free port`);
}
