import type { Command } from 'commander';
import { defaultDataDir, readLock } from '../shared/node/index.js';
import { RestClient } from '../shared/rest-client.js';
import { requireGateway } from './locate-gateway.js';
import { writeOut } from './terminal-text.js';

const STOP_WAIT_MS = 20_000;

/** `mcplexer stop`: asks the running gateway to stop (REST, with the token) and waits until its lock is released. */
export function registerStop(program: Command): void {
  program
    .command('stop')
    .description('stop the running gateway of this data dir and wait until it has stopped; exits 1 when none runs')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .action(async (opts: { home: string }) => {
      const address = await requireGateway(opts.home);
      await new RestClient(address.url, address.token).shutdown();
      const deadline = Date.now() + STOP_WAIT_MS;
      while (Date.now() < deadline) {
        if (readLock(opts.home)?.pid !== address.lock.pid) {
          writeOut(`stopped the MCPlexer gateway (pid ${address.lock.pid}) at ${address.url}\n`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the gateway (pid ${address.lock.pid}) was asked to stop but still holds its lock after ${STOP_WAIT_MS / 1000} s`);
    });
}
