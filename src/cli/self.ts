import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { stableCliPath } from '../shared/node/index.js';

/**
 * How the user ran this CLI, for hints in messages: `mcplexer` when it came through the package's
 * bin (npm link, a global install), else `node <the path given>` (e.g. `node dist/cli.js`). Not
 * at a terminal (a daemon writing to gateway.log or the editor's output), the path is absolute:
 * the hint is read later, from another directory (a trial: `node ext/mcplexer…/dist/cli.js`,
 * relative to code-server's working directory). When `dataDir` holds the CLI's stable copy
 * (`<data dir>/bin/mcplexer-cli.js`, which the editor and Install into Client keep), a daemon's
 * hint names that copy: the editor starts the daemon from the extension's versioned folder, which
 * the next update deletes (a trial read `node ~/.vscode/extensions/mcplexer-0.1.0/dist/cli.js open`
 * in gateway.log).
 */
export function selfCommand(argv: readonly string[] = process.argv, interactive = process.stderr.isTTY === true, dataDir?: string): string {
  const script = argv[1] ?? 'dist/cli.js';
  if (path.basename(script) === 'mcplexer') return 'mcplexer';
  if (!interactive) {
    const stable = dataDir === undefined ? undefined : stableCliPath(dataDir);
    return `node ${stable !== undefined && existsSync(stable) ? stable : path.resolve(script)}`;
  }
  const relative = path.relative(process.cwd(), script);
  return `node ${relative && !relative.startsWith('..') ? relative : script}`;
}

/** ` --home <dataDir>` when a shell without MCPLEXER_HOME would not find this data dir, else nothing. */
export function homeFlag(dataDir: string): string {
  const dir = path.resolve(dataDir);
  return dir === path.join(homedir(), '.mcplexer') ? '' : ` --home ${/[\s"'$`\\]/.test(dir) ? JSON.stringify(dir) : dir}`;
}
