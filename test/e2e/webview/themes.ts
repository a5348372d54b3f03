/**
 * `--vscode-*` variable sets close to VS Code's Dark Modern, Light Modern and High Contrast themes,
 * set on <html> the way VS Code sets them in a webview, so the screenshots show each theme. Read
 * from the browser dashboard's own theme (src/webview/browser/theme.css), so the page and these
 * tests share one list, which test/unit/webview/browser-theme.test.ts keeps complete.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness';

const css = readFileSync(path.join(ROOT, 'src/webview/browser/theme.css'), 'utf8');
const dark = css.indexOf('@media (prefers-color-scheme: dark)');
const contrast = css.indexOf('@media (prefers-contrast: more)');
if (dark < 0 || contrast < dark) throw new Error('theme.css: expected a light block, then a prefers-color-scheme dark block, then a prefers-contrast block');

const variables = (block: string): Record<string, string> =>
  Object.fromEntries([...block.matchAll(/(--vscode-[A-Za-z0-9-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));

export const THEMES: Record<'dark' | 'light' | 'high-contrast', Record<string, string>> = {
  dark: variables(css.slice(dark, contrast)),
  light: variables(css.slice(0, dark)),
  'high-contrast': variables(css.slice(contrast)),
};
