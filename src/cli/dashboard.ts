import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { defaultDataDir, readToken, TOKEN_FILE, writeOpenPage } from '../shared/node/index.js';
import { dashboardUrl } from '../shared/schemas/ui.js';
import { restClient } from './locate-gateway.js';
import { selfCommand } from './self.js';

/**
 * The command that opens a URL in the user's browser: `$BROWSER` when set (as many CLIs honour),
 * else the platform's opener. Returned as [command, ...args] without the URL.
 */
export function browserCommand(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.BROWSER?.trim()) return [env.BROWSER.trim()];
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""'];
  return ['xdg-open'];
}

/** How long an opener (`xdg-open`, `open`, `start`) gets to say it failed; one still running then is a browser that started. */
const OPENER_EXIT_MS = 5_000;

/**
 * Starts the browser on `url`, detached; resolves false (never throws) when it could not be
 * started: the opener is missing, or it exits with a failure (`xdg-open` on a machine without a
 * desktop exits 3 or 4 and opens nothing, which a started process alone did not tell).
 */
function openInBrowser(url: string): Promise<boolean> {
  const [command, ...args] = browserCommand();
  return new Promise((resolve) => {
    const child = spawn(command!, [...args, url], { detached: true, stdio: 'ignore' });
    const settle = (opened: boolean) => {
      clearTimeout(timer);
      child.unref();
      resolve(opened);
    };
    const timer = setTimeout(() => settle(true), OPENER_EXIT_MS);
    child.once('error', () => settle(false));
    child.once('exit', (code) => settle(code === 0));
  });
}

/** `mcplexer token` and `mcplexer open`: the two ways into the browser dashboard. */
export function registerDashboard(program: Command): void {
  program
    .command('token')
    .description(`print the API token (the file ${TOKEN_FILE} in the data dir), for the browser dashboard's sign-in or an MCP client's header`)
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .action((opts: { home: string }) => {
      let token: string;
      try {
        token = readToken(opts.home);
      } catch (error) {
        throw new Error(`no API token in ${opts.home} (${(error as Error).message}); start the gateway once with "${selfCommand()} serve"`);
      }
      process.stdout.write(`${token}\n`);
    });
  program
    .command('open')
    .description('open the browser dashboard, signed in with a one-time code (valid 60 s, single use)')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('--start', 'start the gateway (detached, as the last one ran) if none runs')
    .option('--print', 'only print the URL (do not start a browser)')
    .action(async (opts: { home: string; start?: boolean; print?: boolean }) => {
      const client = await restClient(opts.home, opts.start, ', or add --start');
      const { code } = await client.createUiCode();
      const url = dashboardUrl(client.baseUrl, code);
      if (opts.print) return void process.stdout.write(`${url}\n`);
      // The browser gets a private page that leads on to the link, never the link itself: an
      // opener's arguments are readable by every local user (shared/node/open-page.ts).
      const opened = await openInBrowser(writeOpenPage(opts.home, url));
      process.stdout.write(
        opened
          ? `opened the MCPlexer dashboard in your browser (the link works once, within 60 s). No dashboard? (a browser installed as a snap cannot read ${opts.home}) Open this link instead:\n${url}\n`
          : `could not start a browser (${browserCommand().join(' ')}); open this link within 60 s:\n${url}\n`,
      );
    });
}
