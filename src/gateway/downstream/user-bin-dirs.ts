/**
 * Directories where users install command-line tools that a daemon started by launchd, systemd or
 * an editor may not have on its PATH. Appended to a stdio child's PATH, never prepended.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function userBinDirs(home: string, env: Record<string, string | undefined> = {}): string[] {
  const dirs = ['/usr/local/bin', '/opt/homebrew/bin'];
  if (home) {
    dirs.push(join(home, '.local', 'bin'), join(home, 'go', 'bin'), join(home, '.cargo', 'bin'), join(home, '.volta', 'bin'));
    const node = newestNodeBin(home, env);
    if (node) dirs.push(node);
  }
  dirs.push('/snap/bin');
  return dirs;
}

/** The `bin` directory of the newest Node.js that nvm or fnm installed, if any. */
export function newestNodeBin(home: string, env: Record<string, string | undefined> = {}): string | undefined {
  const nvmDir = env.NVM_DIR || join(home, '.nvm');
  const fnmDirs = [
    env.FNM_DIR,
    join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'fnm'),
    join(home, '.fnm'),
    join(home, 'Library', 'Application Support', 'fnm'),
  ];
  const candidates: { version: number[]; bin: string }[] = [];
  for (const name of listDir(join(nvmDir, 'versions', 'node'))) {
    candidates.push({ version: parseVersion(name), bin: join(nvmDir, 'versions', 'node', name, 'bin') });
  }
  for (const dir of fnmDirs) {
    if (!dir) continue;
    for (const name of listDir(join(dir, 'node-versions'))) {
      candidates.push({ version: parseVersion(name), bin: join(dir, 'node-versions', name, 'installation', 'bin') });
    }
  }
  let best: { version: number[]; bin: string } | undefined;
  for (const candidate of candidates) {
    if (!best || compareVersions(candidate.version, best.version) > 0) best = candidate;
  }
  return best?.bin;
}

/** `v20.11.1` → [20, 11, 1]; anything unparsable sorts lowest. */
export function parseVersion(name: string): number[] {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(name);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [-1, -1, -1];
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return []; // absent manager: nothing to add
  }
}
