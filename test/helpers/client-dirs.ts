/**
 * A fake user for mcp-install tests: HOME, APPDATA, XDG_CONFIG_HOME and CODEX_HOME all in one temp
 * dir, so no test ever reads or writes the real user's client config files. `dirFor` creates a
 * client's config folder (which is what "detected" means); `fixture` copies one of
 * test/fixtures/clients/<id>/ into place.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClientInstaller, CLIENTS, dirsFor, type EntryContext } from '../../src/gateway/clients/index.js';
import { GatewayError } from '../../src/gateway/errors.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/clients/', import.meta.url));
export const FIXTURE_KINDS = ['empty', 'other', 'comments', 'legacy-mx', 'malformed'] as const;

export interface FakeUser {
  root: string;
  env: NodeJS.ProcessEnv;
  /** The client's config path in this fake user's dirs. */
  configPath(id: string): string;
  /** Creates what detection looks for (the config folder; `~/.claude` for Claude Code). */
  detect(id: string): string;
  /** Copies a fixture into place (detected first) and returns its bytes. */
  fixture(id: string, kind: string): Buffer;
  remove(): void;
}

export function fixtureFile(id: string, kind: string): string {
  const ext = { codex: 'toml', continue: 'yaml' }[id] ?? 'json';
  return path.join(FIXTURES, id, `${kind}.${ext}`);
}

export function fakeUser(): FakeUser {
  const root = mkdtempSync(path.join(tmpdir(), 'mcplexer-clients-'));
  const env: NodeJS.ProcessEnv = {
    HOME: path.join(root, 'home'),
    USERPROFILE: path.join(root, 'home'),
    APPDATA: path.join(root, 'appdata'),
    XDG_CONFIG_HOME: path.join(root, 'xdg'),
    CODEX_HOME: path.join(root, 'codex'),
  };
  mkdirSync(env.HOME!, { recursive: true });
  const dirs = dirsFor(env);
  const spec = (id: string) => CLIENTS.find((c) => c.id === id)!;
  const configPath = (id: string) => spec(id).configPath(dirs);
  const detect = (id: string) => {
    const file = configPath(id);
    mkdirSync(path.dirname(file), { recursive: true });
    if (id === 'claude_code') mkdirSync(path.join(env.HOME!, '.claude'), { recursive: true });
    return file;
  };
  return {
    root,
    env,
    configPath,
    detect,
    fixture(id, kind) {
      const file = detect(id);
      copyFileSync(fixtureFile(id, kind), file);
      // A config file as users have them: not changed a moment ago (an empty file changed just now
      // is taken for a client in the middle of saving it, and refused).
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(file, hourAgo, hourAgo);
      return readFileSync(file);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Applies a unified diff (as `unifiedDiff` writes it) to a text: the test's own reading of the format. */
export function applyUnifiedDiff(before: string, diff: string): string {
  if (diff === '') return before;
  const old = before.split(/(?<=\n)/).filter((line) => line !== '');
  const out: string[] = [];
  let cursor = 0;
  const lines = diff.split('\n').slice(2);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (hunk) {
      const start = Number(hunk[1]) - (hunk[2] === '0' ? 0 : 1);
      while (cursor < start) out.push(old[cursor++]!);
      continue;
    }
    const eol = lines[i + 1] === '\\ No newline at end of file' ? '' : '\n';
    if (line.startsWith(' ')) out.push(old[cursor++]!);
    else if (line.startsWith('-')) cursor++;
    else if (line.startsWith('+')) out.push(line.slice(1) + eol);
  }
  while (cursor < old.length) out.push(old[cursor++]!);
  return out.join('');
}

/** Where a fake user's stdio bridge copy goes (`<data dir>/bin/mcplexer-cli.js`). */
export const bridgeScriptOf = (user: FakeUser): string => path.join(user.root, 'data', 'bin', 'mcplexer-cli.js');

/** The entry context of a gateway at `http://127.0.0.1:41234/mcp` with `token`, its bridge under the fake user's data dir. */
export function testContext(user: FakeUser, token = 'tok-1'): EntryContext {
  return {
    url: 'http://127.0.0.1:41234/mcp',
    token,
    bridge: { command: process.execPath, args: [bridgeScriptOf(user), 'connect'], env: { MCPLEXER_HOME: path.join(user.root, 'data') } },
  };
}

/**
 * An installer over the fake user's files; `context` is read at each use (a test may swap it).
 * With `bridgeCopy` (default), the bridge copy is made where the extension or the CLI puts it.
 */
export function testInstaller(user: FakeUser, context: () => EntryContext, options: { bridgeCopy?: boolean } = {}): ClientInstaller {
  const bridgeScript = bridgeScriptOf(user);
  if (options.bridgeCopy ?? true) {
    mkdirSync(path.dirname(bridgeScript), { recursive: true });
    writeFileSync(bridgeScript, '// bridge\n');
  }
  return new ClientInstaller({ env: user.env, context, bridgeScript });
}

/** The GatewayError `run` throws. @throws Error when it throws none, or something else */
export function refusal(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

/** What a run of the CLI gave: its exit code and output. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `dist/cli.js <args> --home <home>` as a real child process with `env` (and this process's
 * PATH), at most 20 s.
 */
export function runCli(args: string[], home: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args, '--home', home], { timeout: 20_000, env: { ...env, PATH: process.env.PATH } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
