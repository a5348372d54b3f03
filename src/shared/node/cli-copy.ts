import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Where the stdio bridge lives for other MCP clients: stable across extension updates. */
export function stableCliPath(dataDir: string): string {
  return path.join(dataDir, 'bin', 'mcplexer-cli.js');
}

/** The SQLite engine the daemon's audit trail loads from beside the script that runs it. */
const SQLITE_WASM = 'node-sqlite3-wasm.wasm';
/** What `cli.js` runs from beside itself (esbuild.mjs, src/cli/loader.ts): the CLI and the daemon. */
const CLI_BUNDLE = 'cli-bundle.js';

/**
 * Copies the CLI to `<data dir>/bin/`, when it differs, so that it runs there on its own:
 * `dist/cli.js` (a few lines) as `mcplexer-cli.js`, and what it runs from beside itself,
 * `cli-bundle.js` (with its source map) and the SQLite WebAssembly file the daemon loads. Each
 * file goes through a temp file and a rename, `mcplexer-cli.js` last, so a bridge starting at
 * that moment never reads half a file. The V8 code cache the CLI writes beside the bundle is not
 * copied: it belongs to the runtime that made it, and the bridge makes its own.
 * Returns whether it copied.
 */
export async function copyCliToDataDir(bundledCli: string, dataDir: string): Promise<boolean> {
  const target = stableCliPath(dataDir);
  const from = path.dirname(bundledCli);
  const to = path.dirname(target);
  const same = await Promise.all([sameFile(bundledCli, target), sameFile(path.join(from, CLI_BUNDLE), path.join(to, CLI_BUNDLE))]);
  if (same.every(Boolean)) return false;
  await mkdir(to, { recursive: true, mode: 0o700 });
  for (const [source, destination] of [
    [path.join(from, SQLITE_WASM), path.join(to, SQLITE_WASM)],
    [path.join(from, `${CLI_BUNDLE}.map`), path.join(to, `${CLI_BUNDLE}.map`)],
    [path.join(from, CLI_BUNDLE), path.join(to, CLI_BUNDLE)],
    [bundledCli, target],
  ] as const) {
    const temp = `${destination}.${process.pid}.tmp`;
    try {
      await copyFile(source, temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && source.endsWith('.map')) continue; // a build without source maps
      throw error;
    }
    await rename(temp, destination);
  }
  // Left by copies made before cli.js ran a bundle beside it (it was the bundle then).
  await rm(`${target}.map`, { force: true });
  return true;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([readFile(a), readIfThere(b)]);
  return right?.equals(left) ?? false;
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
