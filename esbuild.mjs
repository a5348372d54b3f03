// Bundles the CLI (which embeds the gateway daemon) into one CommonJS file that runs on
// plain Node 20 and inside VS Code's runtime (ELECTRON_RUN_AS_NODE=1).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  define: { __MCPLEXER_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
// The package's bin (`mcplexer`, through npm link or a global install) runs this file by its shebang.
chmodSync('dist/cli.js', 0o755);
// node-sqlite3-wasm loads its WebAssembly binary from beside the script that runs it: the bundle.
copyFileSync('node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm', 'dist/node-sqlite3-wasm.wasm');
