// Bundles, into dist/:
// - cli.js: the CLI (which embeds the gateway daemon), one CommonJS file that runs on plain Node 20
//   and inside VS Code's runtime (ELECTRON_RUN_AS_NODE=1); the extension ships it and starts it.
// - extension.js: the VS Code extension (CommonJS, `vscode` external), minified.
// - the webview bundles, through esbuild.webview.mjs when that file exists (its owner builds them).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    // jsonc-parser's `main` is a UMD build whose dynamic require('./impl/…') a bundle cannot follow: take its ESM build.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    define: { __MCPLEXER_VERSION__: JSON.stringify(pkg.version) },
  }),
  build({
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
    minify: true,
  }),
]);
// The package's bin (`mcplexer`, through npm link or a global install) runs this file by its shebang.
chmodSync('dist/cli.js', 0o755);
// node-sqlite3-wasm loads its WebAssembly binary from beside the script that runs it: the bundle.
copyFileSync('node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm', 'dist/node-sqlite3-wasm.wasm');
if (existsSync(new URL('./esbuild.webview.mjs', import.meta.url))) await import('./esbuild.webview.mjs').then((m) => m.buildWebviews());
