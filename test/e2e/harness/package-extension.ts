import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, VSIX_DIR } from './paths';

const execFileAsync = promisify(execFile);
const VSCE = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

/**
 * Packages the extension in `dir` with the project's pinned @vscode/vsce into
 * `.e2e/vsix/<name>-<version>.vsix` and returns that path. `--no-dependencies`: the extension
 * folder ships what it needs (bundled or plain JS); stdin is closed so vsce never waits on a prompt.
 * @throws Error with vsce's output when packaging fails.
 */
export async function packageExtension(dir: string): Promise<string> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  mkdirSync(VSIX_DIR, { recursive: true });
  const out = path.join(VSIX_DIR, `${manifest.name}-${manifest.version}.vsix`);
  const args = [VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out];
  try {
    await execFileAsync(process.execPath, args, { cwd: dir, timeout: 60_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`vsce package failed in ${dir}:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
  return out;
}
