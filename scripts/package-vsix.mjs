// `npm run package`: builds dist/ (vsce runs the `vscode:prepublish` script: esbuild.mjs) and packs
// mcplexer-<version>.vsix in the project folder with the pinned @vscode/vsce 3.9.2 (4.x needs Node 22).
// `--no-dependencies`: everything the extension runs is bundled into dist/, so the .vsix holds no
// node_modules and no native module; .vscodeignore keeps it to dist/, media/, package.json, README, LICENSE.
// README's relative links are kept as they are (there is no published repository URL to prefix).
// Prints the .vsix size.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (result.status !== 0) {
  console.error(`vsce package failed (exit ${result.status ?? result.signal})`);
  process.exit(1);
}
const bytes = statSync(out).size;
console.log(`${out}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
