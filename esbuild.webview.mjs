// Bundles the webviews (src/webview/<view>/main.ts, browser code) into dist/webview/<view>.js and
// <view>.css, with the codicon font and stylesheet beside them. E3's esbuild.mjs imports this file
// and awaits buildWebviews(); run alone with `node esbuild.webview.mjs`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
export const WEBVIEWS = ['servers', 'routes', 'dashboard', 'audit', 'approvals'];
// The browser dashboard page (GET /, src/webview/browser), which frames the views above, and the
// --vscode-* variables that stand in for VS Code's theme there.
const PAGE = { browser: `${root}src/webview/browser/main.ts`, 'browser-theme': `${root}src/webview/browser/theme.css` };

export async function buildWebviews({ outdir = `${root}dist/webview`, minify = true } = {}) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { ...Object.fromEntries(WEBVIEWS.map((view) => [view, `${root}src/webview/${view}/main.ts`])), ...PAGE },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // vscode-icon finds the font's stylesheet by the page's <link id="vscode-codicon-stylesheet">.
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`${root}node_modules/@vscode/codicons/dist/${file}`, `${outdir}/${file}`);
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildWebviews();
