import type { Command } from 'commander';
import { defaultDataDir } from '../gateway/index.js';
import { RestClient } from '../shared/rest-client.js';
import { locateOrStartGateway } from './locate-gateway.js';

async function client(home: string): Promise<RestClient> {
  const address = await locateOrStartGateway(home, process.argv[1]!);
  return new RestClient(address.url, address.token);
}

/** `mcplexer status` and `mcplexer dry-run`: thin views over the REST API. */
export function registerInspect(program: Command): void {
  program
    .command('status')
    .description('show the gateway and each downstream server (starts the gateway if none runs)')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('--json', 'print the raw health report')
    .action(async (opts: { home: string; json?: boolean }) => {
      const health = await (await client(opts.home)).health();
      if (opts.json) return void process.stdout.write(JSON.stringify(health, null, 2) + '\n');
      const lines = [`MCPlexer ${health.version} at http://${health.http_addr}: ${health.status} (up ${health.uptime_seconds} s, data ${health.data_dir})`];
      if (health.config_error) lines.push(`config error: ${health.config_error}`);
      for (const server of health.downstreams) lines.push(`  ${server.namespace.padEnd(20)} ${server.state.padEnd(9)} ${server.last_error ?? ''}`.trimEnd());
      process.stdout.write(lines.join('\n') + '\n');
    });
  program
    .command('dry-run <workspace-id> <tool>')
    .description('show how a tool call would be routed in a workspace, without calling anything')
    .option('--subpath <path>', 'the client directory relative to the workspace root')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('--json', 'print the raw answer')
    .action(async (workspaceId: string, tool: string, opts: { home: string; subpath?: string; json?: boolean }) => {
      const result = await (await client(opts.home)).dryRun(workspaceId, tool, opts.subpath);
      if (opts.json) return void process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      const chain = result.chain.map((link) => (link.subpath ? `${link.workspace_id}:${link.subpath}` : link.workspace_id)).join(' → ');
      process.stdout.write(`${result.policy.toUpperCase()}${result.approval_required ? ' (approval required)' : ''}: ${result.reason}\nchain: ${chain}\n`);
      if (result.downstream_server) process.stdout.write(`server: ${result.downstream_server.name} (${result.downstream_server.namespace})\n`);
    });
}
