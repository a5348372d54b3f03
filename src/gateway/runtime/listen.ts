import type { Server } from 'node:http';
import type { Logger } from '../log.js';

/**
 * Listens on `port`; when another program holds it, says so and tries the next ones.
 * Port 0 takes any free port.
 */
export async function listenWithFallback(server: Server, host: string, port: number, logger: Logger, tries = 20): Promise<number> {
  for (let offset = 0; offset < (port === 0 ? 1 : tries); offset += 1) {
    const candidate = port === 0 ? 0 : port + offset;
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(candidate, host, () => {
          server.off('error', onError);
          resolve();
        });
      });
      const address = server.address();
      return typeof address === 'object' && address ? address.port : candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      logger.warn(`port ${candidate} is in use by another program; trying ${candidate + 1}`, { port: candidate });
    }
  }
  throw new Error(`ports ${port}–${port + tries - 1} are all in use; set MCPLEXER_PORT to a free port`);
}
