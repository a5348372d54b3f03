import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The browser dashboard has no VS Code to set the `--vscode-*` variables: theme.css sets them, in
 * three blocks (light, `prefers-color-scheme: dark`, `prefers-contrast: more`). A variable a view
 * uses that a block leaves out falls back to whatever the element's stylesheet says — for
 * @vscode-elements that is a Dark Modern colour (a dark dropdown on the light page), for our own
 * CSS nothing at all (no selection background) — and the high-contrast block would silently inherit
 * the light or dark value. So every variable read by the elements the views import, by the views'
 * CSS and by their scripts (the chart colours) must be set in every block.
 */
const ROOT = path.resolve(__dirname, '../../..');
const WEBVIEW = path.join(ROOT, 'src/webview');
const ELEMENTS = path.join(ROOT, 'node_modules/@vscode-elements/elements/dist');
const VARIABLE = /--vscode-[A-Za-z0-9-]+/g;

const walk = (dir: string, keep: (file: string) => boolean): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, keep) : keep(full) ? [full] : [];
  });
const read = (file: string) => readFileSync(file, 'utf8');

/** Variables a stylesheet reads with `var(…)` (what it sets itself, `--x: …`, is not a use). */
const readsOf = (css: string) => new Set([...css.matchAll(/var\(\s*(--vscode-[A-Za-z0-9-]+)/g)].map((m) => m[1]!));

function usedVariables(): Map<string, string> {
  const used = new Map<string, string>();
  const note = (names: Iterable<string>, where: string) => {
    for (const name of names) if (!used.has(name)) used.set(name, where);
  };
  // The elements the views register (elements.ts), with the shared code they include.
  const imported = [...read(path.join(WEBVIEW, 'shared/elements.ts')).matchAll(/elements\/dist\/([a-z-]+)\//g)].map((m) => m[1]!);
  expect(imported.length).toBeGreaterThan(5);
  for (const dir of [...imported, 'includes']) {
    for (const file of walk(path.join(ELEMENTS, dir), (f) => f.endsWith('.js'))) note(readsOf(read(file)), path.relative(ELEMENTS, file));
  }
  // The views' own stylesheets (theme.css defines, the others read) and scripts (read by name).
  for (const file of walk(WEBVIEW, (f) => f.endsWith('.css') && !f.endsWith('theme.css'))) note(readsOf(read(file)), path.relative(ROOT, file));
  for (const file of walk(WEBVIEW, (f) => f.endsWith('.ts'))) {
    note(
      [...read(file).matchAll(/['"`](--vscode-[A-Za-z0-9-]+)['"`]/g)].map((m) => m[1]!),
      path.relative(ROOT, file),
    );
  }
  return used;
}

function themeBlocks(): Record<'light' | 'dark' | 'high-contrast', Set<string>> {
  const css = read(path.join(WEBVIEW, 'browser/theme.css'));
  const dark = css.indexOf('@media (prefers-color-scheme: dark)');
  const contrast = css.indexOf('@media (prefers-contrast: more)');
  expect(dark).toBeGreaterThan(0);
  expect(contrast).toBeGreaterThan(dark);
  const defined = (block: string) => new Set([...block.matchAll(/(--vscode-[A-Za-z0-9-]+)\s*:/g)].map((m) => m[1]!));
  return { light: defined(css.slice(0, dark)), dark: defined(css.slice(dark, contrast)), 'high-contrast': defined(css.slice(contrast)) };
}

describe('the browser dashboard theme (src/webview/browser/theme.css)', () => {
  const used = usedVariables();
  const blocks = themeBlocks();

  it('finds the variables the views read (the scan itself works)', () => {
    expect(used.size).toBeGreaterThan(40);
    for (const name of [
      '--vscode-settings-dropdownBackground',
      '--vscode-button-background',
      '--vscode-charts-blue',
      '--vscode-list-inactiveSelectionBackground',
    ]) {
      expect(used.has(name), name).toBe(true);
    }
  });

  it.each(Object.keys(blocks) as Array<keyof typeof blocks>)('the %s block sets every variable a view reads', (block) => {
    const missing = [...used].filter(([name]) => !blocks[block].has(name)).map(([name, where]) => `${name} (read in ${where})`);
    expect(missing).toEqual([]);
  });
});
