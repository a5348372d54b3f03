import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** Where the stdio bridge lives for other MCP clients: stable across extension updates. */
export function stableCliPath(dataDir: string): string {
  return path.join(dataDir, 'bin', 'mcplexer-cli.js');
}

/** The SQLite engine the daemon's audit trail loads from beside the script that runs it. */
const SQLITE_WASM = 'node-sqlite3-wasm.wasm';

/**
 * Copies `dist/cli.js` (with its source map and the SQLite WebAssembly file the daemon loads from
 * beside it) to `<data dir>/bin/mcplexer-cli.js` when it differs,
 * through a temp file and a rename, so a bridge starting at that moment never reads half a file.
 * Returns whether it copied.
 */
export async function copyCliToDataDir(bundledCli: string, dataDir: string): Promise<boolean> {
  const target = stableCliPath(dataDir);
  const [bundled, current] = await Promise.all([readFile(bundledCli), readIfThere(target)]);
  if (current?.equals(bundled)) return false;
  await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  for (const [from, to] of [
    [path.join(path.dirname(bundledCli), SQLITE_WASM), path.join(path.dirname(target), SQLITE_WASM)],
    [`${bundledCli}.map`, `${target}.map`],
    [bundledCli, target],
  ] as const) {
    const temp = `${to}.${process.pid}.tmp`;
    try {
      await copyFile(from, temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && from.endsWith('.map')) continue; // a build without source maps
      throw error;
    }
    await rename(temp, to);
  }
  return true;
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
