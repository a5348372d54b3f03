/**
 * Real MCP clients' own CLIs, pinned in tools/mcp-clients (installed there with
 * `npm ci --omit=optional --ignore-scripts` when missing: pure JavaScript, no install script runs,
 * everything from the npm registry). `runClientCli` runs one asynchronously (the test's gateway
 * runs in the test's own process and must keep answering) with only the env it is given.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TOOLS = fileURLToPath(new URL('../../tools/mcp-clients/', import.meta.url));

export const CLIENT_CLIS = {
  /** `claude mcp list`: "Checking MCP server health…", then `<name>: <url> (HTTP) - ✓ Connected` or `✗ Failed to connect`. */
  claude: `${TOOLS}node_modules/@anthropic-ai/claude-code/cli.js`,
  /** `gemini mcp list`: `✓ <name>: <url> (http) - Connected` or `✗ … - Disconnected`. */
  gemini: `${TOOLS}node_modules/@google/gemini-cli/bundle/gemini.js`,
} as const;

export type ClientCli = keyof typeof CLIENT_CLIS;

/** Installs tools/mcp-clients from its lockfile when a CLI is missing; throws when npm fails. */
export function ensureClientClis(): void {
  if (Object.values(CLIENT_CLIS).every((file) => existsSync(file))) return;
  // Flags, not only tools/mcp-clients/.npmrc: under `npm test` the root's npm_config_* env vars win over a prefix's .npmrc.
  const npm = spawnSync('npm', ['ci', '--prefix', TOOLS, '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund'], {
    stdio: 'pipe',
    encoding: 'utf8',
  });
  if (npm.status !== 0 || !Object.values(CLIENT_CLIS).every((file) => existsSync(file))) {
    throw new Error(`npm ci --prefix tools/mcp-clients failed (status ${npm.status}): ${npm.stderr}`);
  }
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <cli> ...args` in `cwd` with exactly `env` (plus PATH); kills it after `timeoutMs`. */
export function runClientCli(cli: ClientCli, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLIENT_CLIS[cli], ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
