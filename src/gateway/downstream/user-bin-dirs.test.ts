import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareVersions, newestNodeBin, parseVersion, userBinDirs } from './user-bin-dirs.js';

const homes: string[] = [];
function fakeHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'mcplexer-home-'));
  homes.push(home);
  return home;
}
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('userBinDirs', () => {
  it('lists the user tool dirs in the original’s order, /snap/bin last', () => {
    const home = fakeHome();
    expect(userBinDirs(home)).toEqual([
      '/usr/local/bin',
      '/opt/homebrew/bin',
      join(home, '.local', 'bin'),
      join(home, 'go', 'bin'),
      join(home, '.cargo', 'bin'),
      join(home, '.volta', 'bin'),
      '/snap/bin',
    ]);
  });

  it('adds the newest nvm or fnm node bin dir', () => {
    const home = fakeHome();
    for (const version of ['v18.20.0', 'v20.9.0', 'v20.11.1']) mkdirSync(join(home, '.nvm', 'versions', 'node', version, 'bin'), { recursive: true });
    mkdirSync(join(home, '.local', 'share', 'fnm', 'node-versions', 'v22.1.0', 'installation', 'bin'), { recursive: true });
    expect(newestNodeBin(home)).toBe(join(home, '.local', 'share', 'fnm', 'node-versions', 'v22.1.0', 'installation', 'bin'));
    rmSync(join(home, '.local'), { recursive: true });
    expect(newestNodeBin(home)).toBe(join(home, '.nvm', 'versions', 'node', 'v20.11.1', 'bin'));
    expect(userBinDirs(home)).toContain(join(home, '.nvm', 'versions', 'node', 'v20.11.1', 'bin'));
  });

  it('compares versions numerically', () => {
    expect(compareVersions(parseVersion('v20.10.0'), parseVersion('v20.9.9'))).toBeGreaterThan(0);
    expect(compareVersions(parseVersion('junk'), parseVersion('v0.0.1'))).toBeLessThan(0);
  });
});
