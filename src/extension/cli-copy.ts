import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** Where the stdio bridge lives for other MCP clients: stable across extension updates. */
export function stableCliPath(dataDir: string): string {
  return path.join(dataDir, 'bin', 'mcplexer-cli.js');
}

/**
 * Copies `dist/cli.js` (and its source map) to `<data dir>/bin/mcplexer-cli.js` when it differs,
 * through a temp file and a rename, so a bridge starting at that moment never reads half a file.
 * Returns whether it copied.
 */
export async function copyCliToDataDir(bundledCli: string, dataDir: string): Promise<boolean> {
  const target = stableCliPath(dataDir);
  const [bundled, current] = await Promise.all([readFile(bundledCli), readIfThere(target)]);
  if (current?.equals(bundled)) return false;
  await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  for (const [from, to] of [
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
