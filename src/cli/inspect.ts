import type { Command } from 'commander';
import type { DryRunResult } from '../shared/api.js';
import { defaultDataDir } from '../shared/node/index.js';
import type { RestClient } from '../shared/rest-client.js';
import { restClient } from './locate-gateway.js';
import { writeJson, writeOut } from './terminal-text.js';

/** `dry-run`'s exit codes; 1 is any error (no gateway, unknown workspace, bad input). */
export const DRY_RUN_EXIT = { routed: 0, error: 1, refused: 2, approval: 3 } as const;

const client = (home: string, start: boolean | undefined): Promise<RestClient> => restClient(home, start, ', or add --start');

/** 0 when the call would reach a server, 2 when it would be refused (deny, no route, unknown tool), 3 when it needs approval. */
export function dryRunExitCode(result: DryRunResult): number {
  if (result.error_code || result.policy === 'deny') return DRY_RUN_EXIT.refused;
  if (result.approval_required || result.policy === 'approve') return DRY_RUN_EXIT.approval;
  return DRY_RUN_EXIT.routed;
}

const START_HELP = 'start the gateway (detached, as the last one ran) if none runs';

/**
 * The answer's first word, which agrees with the exit code: the rule's policy, or `REFUSED` with the
 * code when a rule allows the call but it would still be refused (a namespace no server has).
 */
export function dryRunVerdict(result: DryRunResult): string {
  if (result.error_code && result.policy === 'allow') return `REFUSED (${result.error_code})`;
  return `${result.policy.toUpperCase()}${result.approval_required ? ' (approval required)' : ''}`;
}

/** `mcplexer status` and `mcplexer dry-run`: thin views over the REST API of the running gateway. */
export function registerInspect(program: Command): void {
  program
    .command('status')
    .description('show the running gateway and each downstream server; exits 1 when none runs (unless --start)')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('--start', START_HELP)
    .option('--json', 'print the raw health report')
    .action(async (opts: { home: string; json?: boolean; start?: boolean }) => {
      const health = await (await client(opts.home, opts.start)).health();
      if (opts.json) return void writeJson(health);
      const lines = [`MCPlexer ${health.version} at http://${health.http_addr}: ${health.status} (up ${health.uptime_seconds} s, data ${health.data_dir})`];
      if (health.config_error) lines.push(`config error: ${health.config_error}`);
      for (const server of health.downstreams) lines.push(`  ${server.namespace.padEnd(20)} ${server.state.padEnd(9)} ${server.last_error ?? ''}`.trimEnd());
      writeOut(lines.join('\n') + '\n');
    });
  program
    .command('dry-run <workspace-id> <tool>')
    .description('show how a tool call would be routed in a workspace, without calling anything')
    .option('--subpath <path>', 'the client directory relative to the workspace root')
    .option('--home <dir>', 'data directory (env MCPLEXER_HOME)', defaultDataDir())
    .option('--start', START_HELP)
    .option('--json', 'print the raw answer')
    .addHelpText(
      'after',
      '\nExit codes: 0 the call would be routed to a server; 2 it would be refused (a deny rule, no route, an unknown tool);\n' +
        '3 it needs a person’s approval first (the call waits for one); 1 an error (no gateway running, unknown workspace, bad input).',
    )
    .action(async (workspaceId: string, tool: string, opts: { home: string; subpath?: string; json?: boolean; start?: boolean }) => {
      const rest = await client(opts.home, opts.start);
      const result = await rest.dryRun({ workspace_id: workspaceId, tool_name: tool, ...(opts.subpath ? { subpath: opts.subpath } : {}) });
      process.exitCode = dryRunExitCode(result);
      if (opts.json) return void writeJson(result);
      // By name: an id made by the gateway is a UUID, which told a trial nothing (`2b72e597-…:sub/x`).
      const names = new Map((await rest.listWorkspaces()).map((w) => [w.id, w.name]));
      const chain = result.chain
        .map((link) => `${names.get(link.workspace_id) ?? link.workspace_id}${link.subpath ? ` (at ${link.subpath})` : ''}`)
        .join(' → ');
      writeOut(`${dryRunVerdict(result)}: ${result.reason}\nchain: ${chain}\n`);
      if (result.downstream_server) writeOut(`server: ${result.downstream_server.name} (${result.downstream_server.namespace})\n`);
    });
}
