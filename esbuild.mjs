// Bundles, into dist/:
// - cli-bundle.js: the CLI (which embeds the gateway daemon), one CommonJS file that runs on plain
//   Node 20 and inside VS Code's runtime (ELECTRON_RUN_AS_NODE=1); the extension ships it.
// - cli.js: what runs it (the package's bin; what the extension starts): a few lines that run
//   cli-bundle.js from V8's code cache (src/cli/loader.ts), so a start does not compile 3.8 MB again.
// - extension.js: the VS Code extension (CommonJS, `vscode` external), minified.
// - the webview bundles, through esbuild.webview.mjs when that file exists (its owner builds them).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: { 'cli-bundle': 'src/cli/main.ts' },
    outdir: 'dist',
    // jsonc-parser's `main` is a UMD build whose dynamic require('./impl/…') a bundle cannot follow: take its ESM build.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    define: { __MCPLEXER_VERSION__: JSON.stringify(pkg.version) },
    // The daemon holds its whole source as one V8 string for its life (functions compile lazily
    // from it). Unminified, the bundle kept its dependencies' doc comments (5.2 MB) and, with a few
    // non-ASCII characters in them, V8 stored it as a two-byte string: 10.4 MB of the heap's large
    // objects. Without whitespace and comments, ASCII-escaped, it is 3.8 MB of one-byte string
    // (idle daemon RSS −13 MB). Names stay (stack traces read as before); the source map maps positions.
    minifyWhitespace: true,
    charset: 'ascii',
  }),
  build({
    ...common,
    entryPoints: { cli: 'src/cli/loader.ts' },
    outdir: 'dist',
    sourcemap: false,
    banner: { js: '#!/usr/bin/env node' },
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
rmSync('dist/cli.js.map', { force: true }); // an older build's: cli.js was the bundle then
// The V8 code caches runs of dist/cli.js wrote (src/cli/code-cache.ts): made for the last build on
// this machine, so never packed (vsce re-includes all of dist/ whatever .vscodeignore says after it).
for (const name of readdirSync('dist')) if (name.endsWith('.v8cache')) rmSync(`dist/${name}`, { force: true });
// node-sqlite3-wasm loads its WebAssembly binary from beside the script that runs it: the bundle.
copyFileSync('node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm', 'dist/node-sqlite3-wasm.wasm');
if (existsSync(new URL('./esbuild.webview.mjs', import.meta.url))) await import('./esbuild.webview.mjs').then((m) => m.buildWebviews());
